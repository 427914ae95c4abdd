using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Serverless;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;

namespace VirtSim.Benchmarks;

/// <summary>The workloads measured both by the quick mode and by BenchmarkDotNet.</summary>
public static class Workloads
{
    /// <summary>
    /// The classic hold model: <paramref name="processes"/> processes each wait an exponential(1)
    /// time, again and again, so the event list holds that many pending events at all times.
    /// </summary>
    public static Simulation Hold(int processes)
    {
        var sim = new Simulation(1);
        var delay = new Distribution.Exponential(1).Bind(sim.Streams["hold"]);
        for (int i = 0; i < processes; i++)
        {
            sim.Start(Holder(sim, delay));
        }
        return sim;
    }

    private static IEnumerable<Await> Holder(Simulation sim, Sampler delay)
    {
        while (true)
        {
            yield return sim.Delay(delay.Sample());
        }
    }

    /// <summary>M/M/4 with arrival rate 3.2/s and service rate 1/s, the station as users run it.</summary>
    public static (Simulation Sim, QueueingStation Station) MM4()
    {
        var sim = new Simulation(4);
        var spec = new StationSpec(4, QueueDiscipline.FirstComeFirstServed, null,
            new Distribution.Exponential(1 / 3.2), new Distribution.Exponential(1));
        var station = new QueueingStation(sim, spec);
        station.Start();
        return (sim, station);
    }

    /// <summary>
    /// <paramref name="concurrent"/> activities always in progress on one shared resource: each
    /// finishing activity is replaced by a new one (exponential work), so every event changes
    /// the rates of all of them.
    /// </summary>
    public static Simulation FairShare(int concurrent)
    {
        var sim = new Simulation(7);
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(concurrent / 2.0, "cpu");
        var work = new Distribution.Exponential(1).Bind(sim.Streams["work"]);
        for (int i = 0; i < concurrent; i++)
        {
            var job = fs.CreateActivity().Uses(cpu);
            job.RateCap = 1;
            job.Completed = j => j.Start(work.Sample());
            job.Start(work.Sample());
        }
        return sim;
    }

    /// <summary>
    /// As <see cref="FairShare"/>, with rate caps that bind for some: capacity for half the
    /// activities at full speed, caps drawn from 0.2 to 1.2, so the level settles near 0.7 and
    /// the activities capped below it run at their caps while the rest share what is left.
    /// </summary>
    public static Simulation FairShareCapped(int concurrent)
    {
        var sim = new Simulation(8);
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(concurrent / 2.0, "cpu");
        var work = new Distribution.Exponential(1).Bind(sim.Streams["work"]);
        var caps = sim.Streams["caps"];
        for (int i = 0; i < concurrent; i++)
        {
            var job = fs.CreateActivity().Uses(cpu);
            job.RateCap = 0.2 + caps.NextDouble();
            job.Completed = j => j.Start(work.Sample());
            job.Start(work.Sample());
        }
        return sim;
    }

    /// <summary>
    /// <paramref name="flows"/> transfers always in progress on a leaf-spine fabric of 16 racks of
    /// 32 hosts (10 Gb/s host links, four 40 Gb/s spine uplinks per leaf): each uses its source
    /// host's link, a leaf-spine and a spine-leaf link (spine by flow), and the destination's link;
    /// a finished flow is replaced by one between another random pair, 10 MB on average.
    /// </summary>
    /// <remarks>
    /// With <paramref name="withinRacks"/>, every flow stays in its source's rack (host link to
    /// host link through the leaf): the fabric falls into 16 components of about 625 flows, and a
    /// change recomputes only its rack's.
    /// </remarks>
    public static Simulation NetworkFlows(int flows, bool withinRacks = false)
    {
        const int racks = 16, perRack = 32, spines = 4;
        var sim = new Simulation(9);
        var fs = new FairShare(sim);
        var up = Enumerable.Range(0, racks * perRack).Select(h => fs.AddResource(1.25e9, $"h{h}.up")).ToArray();
        var down = Enumerable.Range(0, racks * perRack).Select(h => fs.AddResource(1.25e9, $"h{h}.down")).ToArray();
        var toSpine = new SharedResource[racks, spines];
        var fromSpine = new SharedResource[racks, spines];
        for (int r = 0; r < racks; r++)
        {
            for (int s = 0; s < spines; s++)
            {
                toSpine[r, s] = fs.AddResource(5e9, $"leaf{r}-spine{s}");
                fromSpine[r, s] = fs.AddResource(5e9, $"spine{s}-leaf{r}");
            }
        }
        var pick = sim.Streams["pairs"];
        var size = new Distribution.Exponential(10e6).Bind(sim.Streams["sizes"]);
        void Route(Activity flow)
        {
            int from = pick.Next(racks * perRack), to;
            if (withinRacks)
            {
                to = pick.Next(perRack - 1);
                to = from / perRack * perRack + to + (to >= from % perRack ? 1 : 0);
            }
            else
            {
                to = pick.Next(racks * perRack - 1);
                to += to >= from ? 1 : 0;
            }
            flow.ClearUses();
            flow.Uses(up[from]).Uses(down[to]);
            int fromRack = from / perRack, toRack = to / perRack;
            if (fromRack != toRack)
            {
                int spine = pick.Next(spines);
                flow.Uses(toSpine[fromRack, spine]).Uses(fromSpine[toRack, spine]);
            }
            flow.Start(size.Sample());
        }
        for (int i = 0; i < flows; i++)
        {
            var flow = fs.CreateActivity();
            flow.Completed = Route;
            Route(flow);
        }
        return sim;
    }

    /// <summary>
    /// A service near saturation on one host: one 16-vCPU VM under a type-1 hypervisor, requests
    /// of 50 ms of CPU (exponential, each on at most one core) arriving at 95% of what the VM can
    /// serve once the hypervisor's cost is paid; dozens in flight, sometimes hundreds.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) ServiceNearSaturation()
    {
        var sim = new Simulation(10);
        var hypervisor = HypervisorSpec.Default(HypervisorKind.Type1);
        var host = new HostSpec("host", 16, 1.0, 128 * 1024.0 * 1024 * 1024, 1e12, 500e6, "x86_64",
            hypervisor, PowerModel.Default, 0, ImageCacheBytes: 50e9);
        var image = new VmImage("base", 2e9, "linux", "x86_64", BootSpec.Default);
        var vm = new VmSpec("api", 16, 64 * 1024.0 * 1024 * 1024, 20e9, image, ProvisioningSpec.None);
        double rate = 0.95 * 16 / (0.05 * hypervisor.Slowdown);
        var service = new ServiceSpec("api", new Distribution.Exponential(1 / rate),
            new RequestSpec(new Distribution.Exponential(0.05), 0, 0), vm, 1, Balancing.RoundRobin, Workers: 100_000);
        var star = new LinkSpec(10e9 / 8, 0, 1);
        var spec = new DatacenterSpec([new HostGroupSpec(host, 1)], new TopologySpec.Star(star, star, star), PlacementRule.FirstFit,
            AdmissionPolicy.Queue, [], [service], []);
        return (sim, new VirtSim.Datacenter.Datacenter(sim, spec));
    }

    /// <summary>
    /// The published CloudSim Plus scale case: 20,000 hosts, 40,000 VMs and 50,000 batch tasks.
    /// Here every VM also goes through admission, image transfer (one 2 GB image, pulled once per
    /// host through a shared 10 Gb/s repository link), boot and provisioning before its tasks run;
    /// each task is 10 s of CPU, as the CloudSim Plus example's 10,000 MI on 1,000 MIPS.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) Scale20kHosts()
    {
        var sim = new Simulation(20);
        var link = new LinkSpec(10e9 / 8, 50e-6, 0.9);
        var host = new HostSpec("host", 8, 1.0, 32 * 1024.0 * 1024 * 1024, 1e12, 500e6, "x86_64",
            HypervisorSpec.Default(HypervisorKind.Type1), PowerModel.Default, 0, ImageCacheBytes: 50e9);
        var image = new VmImage("base", 2e9, "linux", "x86_64", BootSpec.Default);
        var vm = new VmSpec("worker", 4, 8 * 1024.0 * 1024 * 1024, 20e9, image, new ProvisioningSpec(10e6, 5));
        var batch = new BatchSpec("tasks", 50_000, new Distribution.Deterministic(10), vm, 40_000);
        var spec = new DatacenterSpec([new HostGroupSpec(host, 20_000)], new TopologySpec.Star(link, link, link),
            PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [batch]);
        var datacenter = new VirtSim.Datacenter.Datacenter(sim, spec);
        return (sim, datacenter);
    }

    /// <summary>
    /// 100,000 containers on 5,000 bare-metal nodes, from a shared set of 200 images: every image
    /// is a common 50 MB base, one of 20 shared 100 MB runtime layers, and a 20 MB layer of its own.
    /// Every pod is placed (first fit), pulls what its node lacks and starts.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) Containers100k()
    {
        var sim = new Simulation(100);
        var link = new LinkSpec(10e9 / 8, 50e-6, 0.9);
        var host = new HostSpec("node", 32, 1.0, 128 * 1024.0 * 1024 * 1024, 1e12, 500e6, "x86_64",
            HypervisorSpec.Default(HypervisorKind.None), PowerModel.Default, 0);
        var baseImage = ContainerImage.Build("base", null, [new BuildStep("FROM debian:12", 50e6)]);
        var runtimes = Enumerable.Range(0, 20)
            .Select(r => ContainerImage.Build($"runtime-{r}", baseImage, [new BuildStep($"RUN install runtime {r}", 100e6)]))
            .ToList();
        var pods = Enumerable.Range(0, 200)
            .Select(i => new PodSpec($"app-{i}", [new ContainerSpec("app",
                ContainerImage.Build($"app-{i}", runtimes[i % 20], [new BuildStep($"COPY app-{i}", 20e6)]), 0.25, 256e6, [])]))
            .ToList();
        var engines = new EngineGroupSpec("nodes", EngineProfile.Containerd, "node", null, 0, 0, double.PositiveInfinity, 50e9);
        var groups = pods.Select(p => new PodGroupSpec(p, "nodes", 500)).ToList();
        var spec = new DatacenterSpec([new HostGroupSpec(host, 5_000)], new TopologySpec.Star(link, link, link),
            PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [], EngineGroups: [engines], Pods: groups);
        return (sim, new VirtSim.Datacenter.Datacenter(sim, spec));
    }

    /// <summary>
    /// The classic analytical setting (SimFaaS's example): Poisson arrivals at 0.9/s, exponential
    /// warm (2.016 s) and cold (2.163 s) service, a fixed 600 s expiration, no concurrency limit.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) FaasAnalytic()
    {
        var sim = new Simulation(90);
        var function = new FunctionSpec("f", 128 * 1024.0 * 1024, double.PositiveInfinity, null,
            new Distribution.Exponential(1 / 0.9), new Distribution.Exponential(2.016), 0, 0,
            new KeepAlivePolicy.Fixed(600), 0, new Distribution.Exponential(2.163));
        var link = new LinkSpec(1e9, 0, 1);
        var spec = new DatacenterSpec([], new TopologySpec.Star(link, link, link), PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [],
            Functions: new FunctionPlatformSpec([function], null, ThrottlePolicy.Reject, FunctionPricing.Default));
        return (sim, new VirtSim.Datacenter.Datacenter(sim, spec));
    }

    /// <summary>
    /// 10 million invocations over 1,000 functions whose popularity follows Zipf's law (exponent
    /// 1, as in the skew Shahrad et al. observed), 1,000 invocations a second in all for 10,000 s;
    /// 200 ms exponential executions, 500 ms cold starts, 10-minute keep-alive.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) Faas10m()
    {
        var sim = new Simulation(10);
        double harmonic = Enumerable.Range(1, 1000).Sum(k => 1.0 / k);
        var functions = Enumerable.Range(1, 1000).Select(k =>
        {
            double rate = 1000 / harmonic / k;
            return new FunctionSpec($"f{k}", 256 * 1024.0 * 1024, 60, null, new Distribution.Exponential(1 / rate),
                new Distribution.Exponential(0.2), 0.25, 0.25, KeepAlivePolicy.Fixed.Default);
        }).ToList();
        var link = new LinkSpec(1e9, 0, 1);
        var spec = new DatacenterSpec([], new TopologySpec.Star(link, link, link), PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [],
            Functions: new FunctionPlatformSpec(functions, null, ThrottlePolicy.Reject, FunctionPricing.Default));
        return (sim, new VirtSim.Datacenter.Datacenter(sim, spec));
    }

    /// <summary>
    /// Functions on our own container engines: 100 functions on 100 bare-metal nodes, a Python
    /// base image plus 5 MB of code each, one vCPU per instance (1,769 MiB) serving up to four
    /// invocations that share it, 1 invocation a second each (100 a second in all) of 200 ms of
    /// CPU, 10-minute keep-alive: one million invocations in 10,000 s, each executed as CPU work.
    /// </summary>
    public static (Simulation Sim, VirtSim.Datacenter.Datacenter Datacenter) FaasEngines()
    {
        var sim = new Simulation(11);
        var link = new LinkSpec(10e9 / 8, 50e-6, 0.9);
        var host = new HostSpec("node", 32, 1.0, 128 * 1024.0 * 1024 * 1024, 1e12, 500e6, "x86_64",
            HypervisorSpec.Default(HypervisorKind.None), PowerModel.Default, 0);
        var python = ContainerImage.Build("python", null, [new BuildStep("FROM python:3.12-slim", 150e6)]);
        var functions = Enumerable.Range(0, 100).Select(i => new FunctionSpec($"f{i}", FunctionPlatformSpec.BytesPerVcpu, 60, null,
            new Distribution.Exponential(1), new Distribution.Exponential(0.2), 0.25, 0.25, KeepAlivePolicy.Fixed.Default,
            Image: ContainerImage.Build($"f{i}", python, [new BuildStep($"COPY f{i}", 5e6)]), InstanceConcurrency: 4)).ToList();
        var engines = new EngineGroupSpec("nodes", EngineProfile.Containerd, "node", null, 0, 0, double.PositiveInfinity, 50e9);
        var spec = new DatacenterSpec([new HostGroupSpec(host, 100)], new TopologySpec.Star(link, link, link),
            PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [], EngineGroups: [engines],
            Functions: new FunctionPlatformSpec(functions, null, ThrottlePolicy.Reject, FunctionPricing.Default, EngineGroup: "nodes"));
        return (sim, new VirtSim.Datacenter.Datacenter(sim, spec));
    }
}
