using VirtSim.Datacenter;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel;
using static VirtSim.Tests.Datacenter.Build;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// One request at a time (one every 100 s on an otherwise idle host), so that its response time
/// is its service time alone, measured under each kind of hypervisor.
/// </summary>
public class HypervisorOverheadTests
{
    private static double MeanResponse(HypervisorKind kind, double cpuSeconds, double diskBytes)
    {
        var service = Service("svc", rate: 0.01, cpuSeconds: cpuSeconds, diskBytes: diskBytes, evenlySpaced: true);
        var spec = Spec([new HostGroupSpec(Host(kind: kind), 1)], link: Link(10e9), services: [service]);
        var sim = new Simulation(3);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Schedule(1000, dc.ResetStatistics);     // after the VM has started
        sim.Run(until: 100_000);
        return dc.Measure().Single(m => m.Name == "svc.response_time_mean").Value;
    }

    [TestCase(HypervisorKind.None, 1.0)]
    [TestCase(HypervisorKind.Type1, 1.10)]
    [TestCase(HypervisorKind.Type2, 1.25)]
    [TestCase(HypervisorKind.Emulator, 4.1)]
    public void ACpuBoundRequestIsSlowedByTheHypervisorsCpuCost(HypervisorKind kind, double slowdown)
    {
        // 0.5 core-seconds on a reference-speed core.
        Assert.That(MeanResponse(kind, 0.5, 0), Is.EqualTo(0.5 * slowdown).Within(1e-9));
    }

    [TestCase(HypervisorKind.None, 1.0)]
    [TestCase(HypervisorKind.Type1, 1 / 0.86)]
    [TestCase(HypervisorKind.Type2, 1 / 0.60)]
    public void AnIoBoundRequestIsSlowedByTheHypervisorsIoCost(HypervisorKind kind, double slowdown)
    {
        // 250 MB from a 500 MB/s disk: 0.5 s natively.
        Assert.That(MeanResponse(kind, 0, 250e6), Is.EqualTo(0.5 * slowdown).Within(1e-9));
    }

    [Test]
    public void UnderTypeOneIoBoundServicesPayMoreThanCpuBoundOnes()
    {
        double cpuPenalty = MeanResponse(HypervisorKind.Type1, 0.5, 0) / MeanResponse(HypervisorKind.None, 0.5, 0) - 1;
        double ioPenalty = MeanResponse(HypervisorKind.Type1, 0, 250e6) / MeanResponse(HypervisorKind.None, 0, 250e6) - 1;
        Assert.That(cpuPenalty, Is.EqualTo(0.10).Within(1e-9), "about 10%: the chapter's figure for a type-1 hypervisor");
        Assert.That(ioPenalty, Is.GreaterThan(cpuPenalty));
    }

    [Test]
    public void AVmCannotUseMoreCoresThanItsVcpus()
    {
        // A 2-vCPU VM on an 8-core bare-metal host, 40 requests of 1 core-second at once:
        // at most 2 cores work for it, so the last request ends at 40 / 2 = 20 s.
        var spec = Spec([new HostGroupSpec(Host(kind: HypervisorKind.None), 1)], link: Link(10e9));
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        var vm = dc.RequestVm(Vm(vcpus: 2), new NoOwner());
        sim.Run(until: 1);
        var fs = vm.Host!.Cpu.Owner;
        double lastEnd = 0;
        for (int i = 0; i < 40; i++)
        {
            var job = fs.CreateActivity().Uses(vm.Host.Cpu).Uses(vm.VcpuLimit!);
            job.RateCap = 1;
            job.Completed = _ => lastEnd = sim.Now;
            job.Start(1);
        }
        sim.Run();
        Assert.That(lastEnd - 1, Is.EqualTo(20).Within(1e-9));
        Assert.That(vm.Host.Cpu.Capacity, Is.EqualTo(8));
    }
}

internal sealed class NoOwner : IVmOwner
{
    public void Running(VirtualMachine vm)
    {
    }

    public void Crashed(VirtualMachine vm)
    {
    }
}

public class IsolationTests
{
    private static double MeanResponse(VirtSim.Datacenter.Workload.ServiceSpec service, int cores = 8, double memoryGb = 64, int extraVms = 0, double extraVmGb = 0)
    {
        var host = Host(kind: HypervisorKind.None, cores: cores, memoryGb: memoryGb) with { MemoryOvercommit = 2 };
        var extra = Enumerable.Range(0, extraVms).Select(_ => new VirtSim.Datacenter.Workload.VmGroupSpec(Vm(memoryGb: extraVmGb), 1));
        var spec = Spec([new HostGroupSpec(host, 1)], link: Link(10e9), services: [service], vms: extra);
        var sim = new Simulation(3);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Schedule(1000, dc.ResetStatistics);
        sim.Run(until: 50_000);
        return dc.Measure().Single(m => m.Name == $"{service.Name}.response_time_mean").Value;
    }

    [Test]
    public void AVmsDiskLimitIsEnforced()
    {
        // 250 MB per request from a 500 MB/s disk, but the VM may read only 100 MB/s: 2.5 s.
        var vm = Vm() with { DiskLimit = 100e6 };
        var service = Service("svc", rate: 0.01, cpuSeconds: 0, diskBytes: 250e6, vm: vm, evenlySpaced: true);
        Assert.That(MeanResponse(service), Is.EqualTo(2.5).Within(1e-9));
    }

    [Test]
    public void AVmsNetworkLimitIsEnforced()
    {
        // 50 MB responses over 10 Gb/s links, but the VM may send only 10 MB/s: 5 s.
        var vm = Vm() with { NetworkLimit = 10e6 };
        var service = Service("svc", rate: 0.01, cpuSeconds: 0, networkBytes: 50e6, vm: vm, evenlySpaced: true);
        Assert.That(MeanResponse(service), Is.EqualTo(5).Within(1e-9));
    }

    [Test]
    public void OvercommittedMemoryMakesWorkPayThePagingPenalty()
    {
        // Host of 64 GB with memory overcommit 2; the service VM (4 GB) and three 30 GB VMs
        // promise 94 GB: 30 / 94 of it is paged out, and work costs 1 + 10 x 30/94 = 4.19 times more.
        var service = Service("svc", rate: 0.01, cpuSeconds: 0.5, evenlySpaced: true);
        double alone = MeanResponse(service);
        double crowded = MeanResponse(service, extraVms: 3, extraVmGb: 30);
        Assert.That(alone, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(crowded / alone, Is.EqualTo(1 + 10 * 30.0 / 94).Within(1e-9));
    }
}
