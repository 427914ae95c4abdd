using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using static VirtSim.Tests.Datacenter.Build;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

public class PlacementTests
{
    // Three 8-core hosts; first, VMs of 6, 2 and 4 vCPUs pin them to 2, 6 and 4 free vCPUs;
    // then a 2-vCPU VM arrives and each policy chooses differently.
    private static string PlaceLast(PlacementRule rule)
    {
        var spec = Spec([new HostGroupSpec(Host(), 3)], placement: PlacementRule.WorstFit,
            vms: [new VmGroupSpec(Vm(vcpus: 6), 1), new VmGroupSpec(Vm(vcpus: 2), 1), new VmGroupSpec(Vm(vcpus: 4), 1)]);
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        Assume.That(dc.Hosts.Select(h => h.FreeVcpus), Is.EqualTo(new[] { 2, 6, 4 }));
        var pool = new HostPool(dc.Hypervisors);
        return pool.Choose(rule, Vm(vcpus: 2))!.Host.Name;
    }

    [Test]
    public void FirstFitTakesTheFirstHostWithRoom() => Assert.That(PlaceLast(PlacementRule.FirstFit), Is.EqualTo("h-0"));

    [Test]
    public void BestFitTakesTheHostLeftFullest() => Assert.That(PlaceLast(PlacementRule.BestFit), Is.EqualTo("h-0"));

    [Test]
    public void WorstFitTakesTheHostLeftEmptiest() => Assert.That(PlaceLast(PlacementRule.WorstFit), Is.EqualTo("h-1"));

    [Test]
    public void BestFitAndFirstFitDifferWhenTheFirstHostIsNotTheTightest()
    {
        var spec = Spec([new HostGroupSpec(Host(), 3)], placement: PlacementRule.FirstFit,
            vms: [new VmGroupSpec(Vm(vcpus: 2), 1), new VmGroupSpec(Vm(vcpus: 8), 1), new VmGroupSpec(Vm(vcpus: 5), 1)]);
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        // Free vCPUs now: h-0: 8 - 2 - 5 = 1, h-1: 0, h-2: 8. A 1-vCPU VM: first fit and best fit
        // both take h-0; a 2-vCPU VM: first fit finds nothing before h-2, and so does best fit.
        var pool = new HostPool(dc.Hypervisors);
        Assert.That(pool.Choose(PlacementRule.FirstFit, Vm(vcpus: 1))!.Host.Name, Is.EqualTo("h-0"));
        Assert.That(pool.Choose(PlacementRule.BestFit, Vm(vcpus: 2))!.Host.Name, Is.EqualTo("h-2"));
        Assert.That(pool.Choose(PlacementRule.WorstFit, Vm(vcpus: 9)), Is.Null);
    }

    [Test]
    public void FirstFitThroughTheIndexAgreesWithAPlainScan()
    {
        var spec = Spec([new HostGroupSpec(Host(cores: 16, memoryGb: 64), 200)], placement: PlacementRule.FirstFit,
            vms: Enumerable.Range(0, 600).Select(i => new VmGroupSpec(Vm(vcpus: 1 + i % 7, memoryGb: 2 + (i * 13) % 30), 1)).ToList());
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        var pool = new HostPool(dc.Hypervisors);
        foreach (var (vcpus, memory) in new[] { (1, 2.0), (4, 16.0), (8, 40.0), (16, 64.0), (3, 9.0) })
        {
            var probe = Vm(vcpus: vcpus, memoryGb: memory);
            var scanned = dc.Hypervisors.FirstOrDefault(h => h.CanAdmit(probe));
            Assert.That(pool.FirstThatAdmits(probe), Is.SameAs(scanned));
        }
    }

    [Test]
    public void OneRuleChoosesForHostsAndEnginesAlike()
    {
        // Places left with (cores, memory): the rule compares cores, then memory, and keeps the
        // first in order on ties; the third does not admit.
        (double Cores, double Memory, bool Admits)[] places = [(4, 8, true), (2, 16, true), (2, 4, true), (1, 1, false), (4, 8, true)];
        int Pick(PlacementRule rule)
        {
            var chosen = rule.Choose(places.Select((p, i) => new Tuple<int>(i)).ToList(), places, static (t, all) => all[t.Item1].Admits,
                t => places[t.Item1].Cores, t => places[t.Item1].Memory);
            return chosen!.Item1;
        }
        Assert.That(Pick(PlacementRule.FirstFit), Is.EqualTo(0));
        Assert.That(Pick(PlacementRule.BestFit), Is.EqualTo(2), "fewest cores, then least memory");
        Assert.That(Pick(PlacementRule.WorstFit), Is.EqualTo(0), "most cores, then most memory, first on ties");
    }
}
