using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using VirtSim.Kernel.Random;
using static VirtSim.Tests.Datacenter.Build;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

public class ContainerImageTests
{
    // The chapter's LAMP stack, built in layers on a Linux base.
    private static readonly BuildStep[] Lamp =
    [
        new("FROM debian:12", 50e6),
        new("RUN apt-get install apache2", 30e6),
        new("RUN apt-get install mysql-server", 200e6),
        new("RUN apt-get install php", 40e6),
    ];

    [Test]
    public void ChangingAStepChangesTheDigestOfItsLayerAndOfEveryLayerAboveAndNoOther()
    {
        var v1 = ContainerImage.Build("lamp:1", null, Lamp);
        var phpUpdate = ContainerImage.Build("lamp:2", null, [.. Lamp[..3], new("RUN apt-get install php=8.3", 40e6)]);
        var mysqlUpdate = ContainerImage.Build("lamp:3", null, [Lamp[0], Lamp[1], new("RUN apt-get install mysql-server=8.4", 200e6), Lamp[3]]);
        bool[] Same(ContainerImage a, ContainerImage b) => a.Layers.Zip(b.Layers, (x, y) => x.Digest == y.Digest).ToArray();
        Assert.That(Same(v1, phpUpdate), Is.EqualTo(new[] { true, true, true, false }));
        Assert.That(Same(v1, mysqlUpdate), Is.EqualTo(new[] { true, true, false, false }));
        Assert.That(ContainerImage.Build("again", null, Lamp).Layers.Select(l => l.Digest), Is.EqualTo(v1.Layers.Select(l => l.Digest)),
            "the same steps give the same digests: builds are reproducible");
        Assert.That(v1.Layers[0].Digest, Does.Match("^sha256:[0-9a-f]{64}$"));
    }

    [Test]
    public void AnImageBuiltOnABaseImageSharesTheBaseLayers()
    {
        var debian = ContainerImage.Build("debian:12", null, [Lamp[0]]);
        var app = ContainerImage.Build("app", debian, [new("COPY app /srv", 5e6)]);
        Assert.That(app.Layers[0], Is.EqualTo(debian.Layers[0]));
        Assert.That(app.SizeBytes, Is.EqualTo(55e6));
    }

    [Test]
    public void TheLayerCacheEvictsTheLeastRecentlyUsedUnpinnedLayerAndNeverExceedsItsCapacity()
    {
        var cache = new LayerCache(100);
        Layer L(string d, double size) => new(d, size, d);
        Layer a = L("a", 40), b = L("b", 40), c = L("c", 40);
        cache.AddPinned(a);
        cache.AddPinned(b);
        cache.Unpin(a);
        cache.Unpin(b);
        Assert.That(cache.TryPin(a), Is.True);     // a in use again: b is the LRU unpinned layer
        cache.Unpin(a);
        cache.AddPinned(c);
        Assert.That((cache.Caches("a"), cache.Caches("b"), cache.Caches("c")), Is.EqualTo((true, false, true)));
        Assert.That(cache.UsedBytes, Is.EqualTo(80));
        // With a and c pinned, a 50-byte layer cannot be kept: it is handed over, not cached.
        cache.TryPin(a);
        var d = L("d", 50);
        cache.AddPinned(d);
        Assert.That(cache.Caches("d"), Is.False);
        Assert.That(cache.Holds("d"), Is.True);
        Assert.That(cache.UsedBytes, Is.LessThanOrEqualTo(cache.CapacityBytes));
        cache.Unpin(d);
        Assert.That(cache.Holds("d"), Is.False);
    }
}

public class ContainerClusterTests
{
    internal static ContainerImage Image(string version = "1", int layers = 4, double layerMb = 100) =>
        ContainerImage.Build($"app:{version}", null,
            Enumerable.Range(0, layers).Select(i => new BuildStep(i == layers - 1 ? $"COPY app-v{version}" : $"step {i}", layerMb * 1e6)).ToList());

    internal static PodSpec Pod(ContainerImage image, double cpu = 1, double memGb = 1, int[]? ports = null, double? runSeconds = null, string name = "pod") =>
        new(name, [new ContainerSpec("main", image, cpu, memGb * GB, ports ?? [], runSeconds is { } s ? new Distribution.Deterministic(s) : null)]);

    internal static EngineGroupSpec BareMetalEngines(string hostGroup = "h", EngineProfile? profile = null, double cacheGb = 10) =>
        new("nodes", profile ?? EngineProfile.Docker, hostGroup, null, 0, 0, double.PositiveInfinity, cacheGb * GB);

    private sealed class Owner : IPodOwner
    {
        public readonly List<(Pod Pod, string What, double At)> Log = [];
        public Simulation? Sim;

        public void Running(Pod pod) => Log.Add((pod, "running", Sim!.Now));

        public void Stopped(Pod pod) => Log.Add((pod, "stopped", Sim!.Now));
    }

    private static (Simulation Sim, DC Dc, Owner Owner) Cluster(int hosts, EngineGroupSpec group, double linkGbps = 1, double cores = 8,
        PlacementRule placement = PlacementRule.FirstFit, HypervisorKind kind = HypervisorKind.None)
    {
        var spec = Spec([new HostGroupSpec(Host(kind: kind, cores: (int)cores), hosts)], link: Link(linkGbps * 1e9)) with
        {
            EngineGroups = [group],
            ContainerPlacement = placement,
        };
        var sim = new Simulation(1);
        var dc = new DC(sim, spec);
        dc.Start();
        return (sim, dc, new Owner { Sim = sim });
    }

    [Test]
    public void ANodeHoldingTheLowerLayersPullsExactlyTheRest()
    {
        var (sim, dc, owner) = Cluster(1, BareMetalEngines());
        var v1 = Image("1");
        var v2 = Image("2");      // only the top layer differs
        dc.Containers!.RequestPod(Pod(v1), "nodes", owner);
        sim.Run(until: 100);
        var engine = dc.Containers.Engines.Single();
        Assert.That(engine.BytesPulled, Is.EqualTo(400e6));
        dc.Containers.RequestPod(Pod(v2), "nodes", owner);
        sim.Run(until: 200);
        Assert.That(engine.BytesPulled, Is.EqualTo(500e6), "only v2's top layer moved");
    }

    [Test]
    public void AColdStartPullsAndUnpacksAWarmStartOnlyStarts()
    {
        // 4 layers of 100 MB over 1 Gb/s (125 MB/s), 3 at a time: the first three share the
        // link and arrive at 2.4 s, the fourth alone at 3.2 s; unpacking at 100 MB/s, one at a
        // time, from 2.4 s: 1 s each, done at 6.4 s; Docker starts the container in 0.5 s.
        var (sim, dc, owner) = Cluster(1, BareMetalEngines());
        var image = Image();
        var cold = dc.Containers!.RequestPod(Pod(image), "nodes", owner);
        sim.Run(until: 100);
        var warm = dc.Containers.RequestPod(Pod(image), "nodes", owner);
        sim.Run(until: 200);
        Assert.That(cold.StartupSeconds, Is.EqualTo(6.9).Within(1e-6));
        Assert.That(warm.StartupSeconds, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(dc.Containers.Engines.Single().BytesPulled, Is.EqualTo(400e6));
    }

    [Test]
    public void AtMostTheConfiguredNumberOfLayersDownloadAtOnce()
    {
        var (sim, dc, owner) = Cluster(1, BareMetalEngines(profile: EngineProfile.Docker with { MaxConcurrentDownloads = 2 }));
        dc.Containers!.RequestPod(Pod(Image(layers: 8)), "nodes", owner);
        var link = dc.Network.RouteBetween(dc.Network.Node("registry"), dc.Hosts[0].Node).Links[0].Resource;
        int most = 0;
        while (sim.Run(maxEvents: 1) == StopReason.EventLimitReached)
        {
            most = Math.Max(most, link.ActivityCount);
        }
        Assert.That(most, Is.EqualTo(2));
    }

    [Test]
    public void TwoPodsAskingForTheSameHostPortCannotShareANode()
    {
        var (sim, dc, owner) = Cluster(2, BareMetalEngines());
        var a = dc.Containers!.RequestPod(Pod(Image(), ports: [80]), "nodes", owner);
        var b = dc.Containers.RequestPod(Pod(Image(), ports: [80]), "nodes", owner);
        var c = dc.Containers.RequestPod(Pod(Image(), ports: [80]), "nodes", owner);
        sim.Run(until: 100);
        Assert.That(a.Engine, Is.Not.SameAs(b.Engine));
        Assert.That(c.Phase, Is.EqualTo(PodPhase.Pending), "both nodes have port 80 taken");
        Assert.That(a.Engine!.Admits(Pod(Image(), ports: [8080])), Is.True, "other ports are free");
    }

    [Test]
    public void AnImageForAnotherKernelCannotBePlaced()
    {
        var (sim, dc, owner) = Cluster(1, BareMetalEngines());
        var windows = ContainerImage.Build("iis", null, [new BuildStep("FROM windows/servercore", 1e9)], osKernel: "windows");
        var pod = dc.Containers!.RequestPod(Pod(windows), "nodes", owner);
        sim.Run(until: 10);
        Assert.That(pod.Phase, Is.EqualTo(PodPhase.Pending));
    }

    [Test]
    public void APodsContainersShareANodeAndStartAndStopTogether()
    {
        var (sim, dc, owner) = Cluster(3, BareMetalEngines(), cores: 4);
        var pod = new PodSpec("web+cache", [
            new ContainerSpec("web", Image("web"), 2, 1 * GB, [80], new Distribution.Deterministic(10)),
            new ContainerSpec("cache", Image("cache"), 1, 2 * GB, [6379], new Distribution.Deterministic(30)),
        ]);
        var p = dc.Containers!.RequestPod(pod, "nodes", owner);
        sim.Run(until: 1000);
        var log = owner.Log.Where(l => l.Pod == p).ToList();
        Assert.That(log.Select(l => l.What), Is.EqualTo(new[] { "running", "stopped" }));
        // It stops when the longer main process ends: 30 core-seconds on its 1 core.
        Assert.That(log[1].At - log[0].At, Is.EqualTo(30).Within(1e-6));
        Assert.That(p.Engine!.CpuReserved, Is.Zero, "both containers' reservations are released together");
    }

    [Test]
    public void TheAutoscalerAddsAVmOnlyWhenNoEngineHasRoom()
    {
        // Engines in 4-vCPU VMs, one to begin with, at most three. Pods of 2 cores.
        var image = VirtSim.Tests.Datacenter.Build.Image(2);
        var vm = Vm(image: image, vcpus: 4, memoryGb: 8);
        var group = new EngineGroupSpec("pool", EngineProfile.Containerd, null, vm, 1, 3, 300, 10 * GB);
        var (sim, dc, owner) = Cluster(4, group, linkGbps: 10, kind: HypervisorKind.Type1);
        sim.Run(until: 500);                                   // the first engine VM is running
        Assert.That(dc.Vms, Has.Count.EqualTo(1));
        var first = Enumerable.Range(0, 2).Select(_ => dc.Containers!.RequestPod(Pod(Image(), cpu: 2), "pool", owner)).ToList();
        sim.Run(until: 600);
        Assert.That(dc.Vms, Has.Count.EqualTo(1), "two 2-core pods fit the first 4-vCPU engine");
        var third = dc.Containers!.RequestPod(Pod(Image(), cpu: 2), "pool", owner);
        Assert.That(dc.Vms, Has.Count.EqualTo(2), "no room: one VM is asked for at once");
        var fourth = dc.Containers.RequestPod(Pod(Image(), cpu: 2), "pool", owner);
        Assert.That(dc.Vms, Has.Count.EqualTo(2), "the VM already starting has room for it");
        sim.Run(until: 1500);
        Assert.That(new[] { third, fourth }.Select(p => p.Phase), Is.All.EqualTo(PodPhase.Running));
        Assert.That(third.Engine, Is.SameAs(fourth.Engine));
        Assert.That(dc.Containers.ScaledOut, Is.EqualTo(1));
    }

    [Test]
    public void TheAutoscalerRemovesAnIdleEngineVm()
    {
        var image = VirtSim.Tests.Datacenter.Build.Image(2);
        var vm = Vm(image: image, vcpus: 2, memoryGb: 4);
        var group = new EngineGroupSpec("pool", EngineProfile.Containerd, null, vm, 1, 2, 300, 10 * GB);
        var (sim, dc, owner) = Cluster(2, group, linkGbps: 10, kind: HypervisorKind.Type1);
        sim.Run(until: 500);
        dc.Containers!.RequestPod(Pod(Image(), cpu: 2, runSeconds: 60), "pool", owner);
        dc.Containers.RequestPod(Pod(Image(), cpu: 2, runSeconds: 60), "pool", owner);
        sim.Run(until: 5000);
        Assert.That(dc.Containers.ScaledOut, Is.EqualTo(1));
        Assert.That(dc.Containers.ScaledIn, Is.EqualTo(1), "an engine idle for more than 300 s goes");
        Assert.That(dc.Vms.Count(v => v.Phase == VmPhase.Destroyed), Is.EqualTo(1));
        Assert.That(dc.Containers.Engines.Count(), Is.EqualTo(1), "the group keeps its initial count");
    }
}

public class PodCommunicationTests
{
    private static double CallTime(bool samePod)
    {
        // Two bare-metal nodes, 10 Gb/s links at 90% (1.125 GB/s of payload), 100 µs each.
        // One request every 10 s: 1 ms of front-end CPU, then a call: 50 KB out, 2 ms of
        // backend CPU, 200 KB back.
        var web = ContainerClusterTests.Image("web");
        var db = ContainerClusterTests.Image("db");
        var front = new ContainerSpec("web", web, 1, 1 * GB, []);
        var back = new ContainerSpec("db", db, 1, 1 * GB, [], IsBackend: samePod);
        var call = new CallSpec(new Distribution.Deterministic(0.002), 50e3, 200e3);
        var service = Service("shop", rate: 0.1, cpuSeconds: 0.001, evenlySpaced: true) with
        {
            Vm = null,
            Pod = new PodSpec("shop", samePod ? [front, back] : [front]),
            EngineGroup = "nodes",
            Call = call,
            Backend = samePod ? null : new BackendSpec(new PodSpec("db", [back]), "nodes", 1),
        };
        var spec = Spec([new HostGroupSpec(Host(kind: HypervisorKind.None), 2)], link: Link(10e9, efficiency: 0.9, latency: 100e-6), services: [service]) with
        {
            EngineGroups = [ContainerClusterTests.BareMetalEngines()],
            ContainerPlacement = PlacementRule.WorstFit,
        };
        var sim = new Simulation(2);
        var dc = new DC(sim, spec);
        dc.Start();
        sim.Schedule(100, dc.ResetStatistics);
        sim.Run(until: 10_000);
        var pods = dc.Containers!.Pods;
        if (!samePod)
        {
            Assume.That(pods[0].Engine, Is.Not.SameAs(pods[1].Engine), "spread puts the front end and the database on different nodes");
        }
        return dc.Measure().Single(m => m.Name == "shop.call_time_mean").Value;
    }

    [Test]
    public void ContainersOfOnePodTalkByIpc()
    {
        // 2 ms of CPU, two messages of 20 µs, 250 KB copied at 5 GB/s (50 µs).
        Assert.That(CallTime(samePod: true), Is.EqualTo(0.002 + 2 * 20e-6 + 250e3 / 5e9).Within(1e-12));
    }

    [Test]
    public void SeparatePodsOnDifferentNodesTalkOverTheNetwork()
    {
        // 2 ms of CPU; each way two links of 100 µs; 50 KB and 200 KB at 1.125 GB/s.
        double expected = 0.002 + 4 * 100e-6 + 250e3 / 1.125e9;
        Assert.That(CallTime(samePod: false), Is.EqualTo(expected).Within(1e-9));
        Assert.That(CallTime(samePod: false), Is.GreaterThan(CallTime(samePod: true)));
    }
}
