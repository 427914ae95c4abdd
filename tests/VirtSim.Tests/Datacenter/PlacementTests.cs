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
    private static string PlaceLast(IPlacementPolicy policy)
    {
        var spec = Spec([new HostGroupSpec(Host(), 3)], placement: new WorstFit(),
            vms: [new VmGroupSpec(Vm(vcpus: 6), 1), new VmGroupSpec(Vm(vcpus: 2), 1), new VmGroupSpec(Vm(vcpus: 4), 1)]);
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        Assume.That(dc.Hosts.Select(h => h.FreeVcpus), Is.EqualTo(new[] { 2, 6, 4 }));
        var pool = new HostPool(dc.Hosts);
        return policy.Choose(Vm(vcpus: 2), pool)!.Name;
    }

    [Test]
    public void FirstFitTakesTheFirstHostWithRoom() => Assert.That(PlaceLast(new FirstFit()), Is.EqualTo("h-0"));

    [Test]
    public void BestFitTakesTheHostLeftFullest() => Assert.That(PlaceLast(new BestFit()), Is.EqualTo("h-0"));

    [Test]
    public void WorstFitTakesTheHostLeftEmptiest() => Assert.That(PlaceLast(new WorstFit()), Is.EqualTo("h-1"));

    [Test]
    public void BestFitAndFirstFitDifferWhenTheFirstHostIsNotTheTightest()
    {
        var spec = Spec([new HostGroupSpec(Host(), 3)], placement: new FirstFit(),
            vms: [new VmGroupSpec(Vm(vcpus: 2), 1), new VmGroupSpec(Vm(vcpus: 8), 1), new VmGroupSpec(Vm(vcpus: 5), 1)]);
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        // Free vCPUs now: h-0: 8 - 2 - 5 = 1, h-1: 0, h-2: 8. A 1-vCPU VM: first fit and best fit
        // both take h-0; a 2-vCPU VM: first fit finds nothing before h-2, and so does best fit.
        var pool = new HostPool(dc.Hosts);
        Assert.That(new FirstFit().Choose(Vm(vcpus: 1), pool)!.Name, Is.EqualTo("h-0"));
        Assert.That(new BestFit().Choose(Vm(vcpus: 2), pool)!.Name, Is.EqualTo("h-2"));
        Assert.That(new WorstFit().Choose(Vm(vcpus: 9), pool), Is.Null);
    }

    [Test]
    public void FirstFitThroughTheIndexAgreesWithAPlainScan()
    {
        var spec = Spec([new HostGroupSpec(Host(cores: 16, memoryGb: 64), 200)], placement: new FirstFit(),
            vms: Enumerable.Range(0, 600).Select(i => new VmGroupSpec(Vm(vcpus: 1 + i % 7, memoryGb: 2 + (i * 13) % 30), 1)).ToList());
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Run(until: 1);
        var pool = new HostPool(dc.Hosts);
        foreach (var (vcpus, memory) in new[] { (1, 2.0), (4, 16.0), (8, 40.0), (16, 64.0), (3, 9.0) })
        {
            var probe = Vm(vcpus: vcpus, memoryGb: memory);
            var scanned = dc.Hosts.FirstOrDefault(h => h.Hypervisor.CanAdmit(probe));
            Assert.That(pool.FirstThatAdmits(probe), Is.SameAs(scanned));
        }
    }
}
