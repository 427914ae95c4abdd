using VirtSim.Datacenter.Validation;
using VirtSim.Datacenter;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using static VirtSim.Tests.Datacenter.Build;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

public class VirtualMachineTests
{
    private static (Simulation Sim, DC Dc, PhaseLog Log) Run(DatacenterSpec spec, double until = 10_000)
    {
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        var log = new PhaseLog();
        dc.AddObserver(log);
        dc.Start();
        sim.Run(until: until);
        return (sim, dc, log);
    }

    [Test]
    public void AVmStartGoesThroughItsPhasesInOrderWithTheirDurations()
    {
        // 8 GB image over 1 Gb/s at 35%, pulled by the host itself: 182.857 s. Type 1 (CPU
        // efficiency 1/1.10, I/O 0.86): loader 2 s x 1.1 = 2.2 s; 1 GB read by the guest at
        // 500 MB/s x 0.86 = 2.3256 s; OS start 20 s x 1.1 = 22 s; provisioning in the guest:
        // 100 MB at 0.35 x 0.86 of 1 Gb/s = 2.658 s, then 30 s x 1.1 = 33 s.
        var vm = Vm(provisioning: new ProvisioningSpec(100e6, 30));
        var spec = Spec([new HostGroupSpec(Host(), 1)], link: Link(1e9, efficiency: 0.35), vms: [new VmGroupSpec(vm, 1)]);
        var (_, _, log) = Run(spec);
        var phases = log.Of(0);
        Assert.That(phases.Select(p => p.Phase), Is.EqualTo(new[]
        {
            VmPhase.Requested, VmPhase.Placed, VmPhase.TransferringImage, VmPhase.BootLoader,
            VmPhase.LoadingOs, VmPhase.StartingOs, VmPhase.Provisioning, VmPhase.Running,
        }));
        double transfer = 8e9 * 8 / (1e9 * 0.35);
        double loader = 2 * 1.1, osRead = 1e9 / (500e6 * 0.86), osStart = 20 * 1.1;
        double provisioning = 100e6 * 8 / (1e9 * 0.35 * 0.86) + 30 * 1.1;
        var at = phases.ToDictionary(p => p.Phase, p => p.Time);
        Assert.That(at[VmPhase.BootLoader], Is.EqualTo(transfer).Within(1e-6));
        Assert.That(at[VmPhase.LoadingOs], Is.EqualTo(transfer + loader).Within(1e-6));
        Assert.That(at[VmPhase.StartingOs], Is.EqualTo(transfer + loader + osRead).Within(1e-6));
        Assert.That(at[VmPhase.Provisioning], Is.EqualTo(transfer + loader + osRead + osStart).Within(1e-6));
        Assert.That(at[VmPhase.Running], Is.EqualTo(transfer + loader + osRead + osStart + provisioning).Within(1e-6));
    }

    [Test]
    public void ACachedImageIsNotTransferredAgainAndAConcurrentNeedWaitsForTheTransferUnderWay()
    {
        // Two VMs at once, then a third 1,000 s later, all on the single host.
        var spec = Spec([new HostGroupSpec(Host(), 1)], link: Link(1e9, efficiency: 0.35),
            vms: [new VmGroupSpec(Vm(), 2), new VmGroupSpec(Vm(), 1, Interval: 0)]);
        var (sim, dc, log) = Run(spec with { Vms = [new VmGroupSpec(Vm(), 2), new VmGroupSpec(Vm(), 2, Interval: 1000)] });
        Assert.That(dc.Hypervisors[0].ImageBytesPulled, Is.EqualTo(8e9), "the image moved once");
        Assert.That(log.Of(1).Select(p => p.Phase), Does.Contain(VmPhase.WaitingForImage));
        var late = log.Of(3);
        Assert.That(late.Select(p => p.Phase), Does.Not.Contain(VmPhase.TransferringImage).And.Not.Contain(VmPhase.WaitingForImage));
        // The late VM boots at once: 2.2 + 2.33 + 22 s after its request at t = 1000.
        Assert.That(late.Last().Time - 1000, Is.EqualTo(2 * 1.1 + 1e9 / (500e6 * 0.86) + 20 * 1.1).Within(1e-6));
        // VMs 0, 1 and 2 are asked for at t = 0: the first starts the transfer (a miss), the others
        // join it (hits, as layers joining a pull under way are); the late one finds it cached.
        Assert.That((dc.Hypervisors[0].ImageHits, dc.Hypervisors[0].ImageMisses), Is.EqualTo((3, 1)));
        Assert.That(sim.Now, Is.EqualTo(10_000));
    }

    [Test]
    public void ImagesAreEvictedLeastRecentlyUsedFirstAndTheCacheNeverOverflows()
    {
        var cache = new ImageCache(20 * GB);
        VmImage a = Image(8, name: "a"), b = Image(8, name: "b"), c = Image(8, name: "c");
        cache.Add(a);
        cache.Add(b);
        Assert.That(cache.TryUse(a), Is.True);       // b is now the least recently used
        cache.Add(c);
        Assert.That((cache.Contains(a), cache.Contains(b), cache.Contains(c)), Is.EqualTo((true, false, true)));
        Assert.That(cache.UsedBytes, Is.LessThanOrEqualTo(cache.CapacityBytes));
        cache.Add(Image(30, name: "huge"));
        Assert.That(cache.Count, Is.EqualTo(2), "an image larger than the cache is not kept");
    }

    [Test]
    public void AdmissionControlNeverPromisesMoreThanTheHostHas()
    {
        // Three hosts of 8 cores and 64 GB; 40 VMs of random sizes; with rejection.
        var sizes = new System.Random(4);
        var groups = Enumerable.Range(0, 40).Select(_ => new VmGroupSpec(Vm(vcpus: 1 + sizes.Next(4), memoryGb: 4 * (1 + sizes.Next(8))), 1)).ToList();
        var spec = Spec([new HostGroupSpec(Host(), 3)], admission: AdmissionPolicy.Reject, vms: groups);
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        var checker = new Checker(dc);
        dc.AddObserver(checker);
        dc.Start();
        sim.Run(until: 5000);
        Assert.That(checker.Checks, Is.GreaterThan(40));
        int placed = dc.Vms.Count(v => v.Phase == VmPhase.Running);
        int rejected = dc.Vms.Count(v => v.Phase == VmPhase.Rejected);
        Assert.That(placed + rejected, Is.EqualTo(40));
        Assert.That(rejected, Is.GreaterThan(0), "the load was meant to exceed the hosts");
    }

    private sealed class Checker(DC dc) : IDatacenterObserver
    {
        public int Checks;

        public void VmPhaseChanged(VirtualMachine vm, VmPhase phase, double time)
        {
            foreach (var host in dc.Hosts)
            {
                Assert.That(host.VcpusReserved, Is.LessThanOrEqualTo(host.Spec.Cores));
                Assert.That(host.MemoryReserved, Is.LessThanOrEqualTo(host.Spec.MemoryBytes));
            }
            Checks++;
        }
    }

    [Test]
    public void AVmWaitsForTheScrubbingOfItsPredecessorBeforeItsHostHasRoom()
    {
        // One host with room for one 48 GB VM. The first lives 100 s once running, then its 48 GB
        // of memory are scrubbed at 10 GB/s (4.8 s) and its 20 GB disk at 500 MB/s (40 s); only
        // then is the queued second VM placed.
        var big = Vm(memoryGb: 48);
        var spec = Spec([new HostGroupSpec(Host(), 1)], vms: [new VmGroupSpec(big, 2, Lifetime: 100)]);
        var (_, _, log) = Run(spec);
        var first = log.Of(0).ToDictionary(p => p.Phase, p => p.Time);
        var second = log.Of(1).ToDictionary(p => p.Phase, p => p.Time);
        Assert.That(second[VmPhase.Queued], Is.EqualTo(0));
        Assert.That(first[VmPhase.Scrubbing] - first[VmPhase.Running], Is.EqualTo(100).Within(1e-9));
        Assert.That(second[VmPhase.Placed] - first[VmPhase.Scrubbing], Is.EqualTo(4.8 + 40).Within(1e-6));
        Assert.That(first[VmPhase.Destroyed], Is.EqualTo(second[VmPhase.Placed]));
    }

    [Test]
    public void AVmBuiltForAnotherInstructionSetRunsOnlyUnderAnEmulator()
    {
        var arm = Vm(image: Image(isa: "arm64"));
        var spec = Spec([new HostGroupSpec(Host("x86", HypervisorKind.Type1), 2), new HostGroupSpec(Host("emu", HypervisorKind.Emulator), 1)],
            vms: [new VmGroupSpec(arm, 1)]);
        var (_, dc, _) = Run(spec);
        Assert.That(dc.Vms[0].Host!.Spec.Group, Is.EqualTo("emu"));
        // Without an emulator it could never start: the model refuses the spec, as the reader does.
        var noEmulator = Spec([new HostGroupSpec(Host("x86", HypervisorKind.Type1), 2)], admission: AdmissionPolicy.Reject, vms: [new VmGroupSpec(arm, 1)]);
        var refused = Assert.Throws<SpecException>(() => new DC(new Simulation(1), noEmulator))!;
        Assert.That(refused.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "vms[0]: no host can run image 'ubuntu' built for arm64: only an emulator runs a foreign instruction set" }));
    }
}

public class FaultTests
{
    [Test]
    public void CrashedVmsAreFoundByTheHealthCheckAndRestartedAndTheirRequestsFail()
    {
        // One 8-vCPU service VM kept busy (about 4 requests in progress), a mean time to failure
        // of 1 h, health checks every 30 s, 4 h long.
        var service = Build.Service("api", rate: 20, cpuSeconds: 0.2, vm: Build.Vm(vcpus: 8));
        var spec = Build.Spec([new HostGroupSpec(Build.Host(), 1)], services: [service]) with
        {
            MonitoringInterval = 30,
            VmMeanTimeToFailure = 3600,
        };
        var sim = new Simulation(8);
        var dc = new DC(sim, spec);
        var log = new PhaseLog();
        dc.AddObserver(log);
        dc.Start();
        sim.Run(until: 4 * 3600);
        var phases = log.Of(0);
        var crashes = phases.Where(p => p.Phase == VmPhase.Crashed).ToList();
        Assert.That(crashes, Is.Not.Empty, "a 1 h MTTF over 4 h should crash at least once with this seed");
        foreach (var crash in crashes)
        {
            // The next phase is the reboot, started by the first health check after the crash.
            var next = phases.First(p => p.Time >= crash.Time && p.Phase == VmPhase.BootLoader);
            Assert.That(next.Time - crash.Time, Is.InRange(0, 30));
            Assert.That(next.Time % 30, Is.EqualTo(0).Within(1e-6));
        }
        var m = dc.Measure().ToDictionary(x => x.Name, x => x.Value);
        Assert.That(m["vm_crashes"], Is.EqualTo(crashes.Count));
        Assert.That(m["api.requests_failed"], Is.GreaterThan(0));
        Assert.That(phases.Last().Phase, Is.AnyOf(VmPhase.Running, VmPhase.Crashed, VmPhase.BootLoader, VmPhase.LoadingOs, VmPhase.StartingOs));
        // Service continues between crashes: nearly every request is served.
        Assert.That(m["api.throughput"], Is.GreaterThan(19));
    }
}
