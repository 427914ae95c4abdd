using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel;
using DC = VirtSim.Datacenter.Datacenter;

namespace VirtSim.Tests.Datacenter;

public class FunctionEngineTests
{
    // One bare-metal node on a 1 Gb/s link (125 MB/s of payload), Docker (3 downloads at once,
    // unpacking at 100 MB/s one layer at a time, 0.5 s to start). The provider's base image has
    // two 100 MB layers; each function adds a 5 MB code layer. First calls at 10 s and 100 s.
    private const string Yaml = """
        duration: 1h
        datacenter:
          network: {topology: star, host_link: {bandwidth: 1Gbps}}
          hosts:
            - {group: node, count: 1, cores: 8, memory: 32GiB, disk: 1TB, disk_bandwidth: 10GB/s, hypervisor: none}
          engines:
            - {name: faas, engine: docker, host_group: node, layer_cache: 10GB}
        container_images:
          - name: python
            steps: [{run: "FROM debian:12", size: 100MB}, {run: "RUN install python3.12", size: 100MB}]
        platform: {engines: faas, base_images: [python]}
        functions:
          - {name: first, base_image: python, code: 5MB, memory: 1769MiB, arrivals: {interarrival: {distribution: deterministic, value: 1000s}}, duration: 100ms, runtime_init: 250ms, function_init: 250ms, keep_alive: 2min}
          - {name: second, base_image: python, code: 5MB, memory: 1769MiB, arrivals: {interarrival: {distribution: deterministic, value: 1100s}}, duration: 100ms, runtime_init: 250ms, function_init: 250ms, keep_alive: 2min}
        """;

    [Test]
    public void AColdStartOnAnEnginePullsWhatTheNodeLacksStartsTheContainerThenInitializes()
    {
        var scenario = ScenarioLoader.Parse("f.yaml", Yaml) with { Duration = 1150, Replications = 1 };
        var m = ExperimentRunner.Run(scenario).Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        // first (at 1,000 s, cold node): 205 MB share the link: the 5 MB layer lands at 0.12 s,
        // the two 100 MB ones at 1.64 s; unpacked bottom first (the 5 MB code layer waits for the
        // layers beneath it), 1 + 1 + 0.05 s, they are ready at 3.69 s; start 0.5 s; init 0.5 s;
        // run 0.1 s: 4.79 s.
        Assert.That(m["first.response_time_cold_mean"], Is.EqualTo(4.79).Within(1e-6));
        // second (at 1,100 s): the base layers are cached; its 5 MB arrive in 0.04 s and unpack
        // in 0.05 s; then 0.5 + 0.5 + 0.1 s: 1.19 s.
        Assert.That(m["second.response_time_cold_mean"], Is.EqualTo(1.19).Within(1e-6));
        Assert.That(m["layer_bytes_pulled"], Is.EqualTo(210e6));
    }

    [Test]
    public void TheTimelineRecordsEachColdStartsWaitForItsContainerAndItsInitialization()
    {
        var scenario = ScenarioLoader.Parse("f.yaml", Yaml) with { Duration = 1150, Replications = 1 };
        var replication = ExperimentRunner.RunOne(scenario, 0, timeline: true);
        var starts = replication.ColdStarts!;
        Assert.That(starts.Select(c => c.Function), Is.EqualTo(new[] { "first", "second" }));
        // The same arithmetic as above, split: the container runs after 3.69 + 0.5 s, then 0.5 s
        // of initialization; for 'second', 0.04 + 0.05 + 0.5 s, then 0.5 s.
        Assert.That(starts[0].Requested, Is.EqualTo(1000).Within(1e-9));
        Assert.That(starts[0].ContainerRunning - starts[0].Requested, Is.EqualTo(4.19).Within(1e-6));
        Assert.That(starts[0].Ready - starts[0].ContainerRunning, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(starts[1].ContainerRunning - starts[1].Requested, Is.EqualTo(0.59).Within(1e-6));
        Assert.That(starts[1].Ready - starts[1].ContainerRunning, Is.EqualTo(0.5).Within(1e-9));
        // And the pods behind them: placed, pulling, starting, running.
        var first = replication.PodTimeline!.Where(r => r.Pod == 0).Select(r => r.Phase);
        Assert.That(first, Is.SupersetOf(new[] { "Placed", "Pulling", "Starting", "Running" }));
    }

    // One 4-core node; a function of 1,769 MiB (one vCPU) serving up to four invocations per
    // instance, 10 s of CPU each; its own arrivals are too rare to matter.
    private const string SharedYaml = """
        duration: 1h
        datacenter:
          network: {topology: star, host_link: {bandwidth: 10Gbps}}
          hosts:
            - {group: node, count: 1, cores: 4, memory: 32GiB, disk: 1TB, disk_bandwidth: 10GB/s, hypervisor: none}
          engines:
            - {name: faas, engine: containerd, host_group: node, layer_cache: 10GB}
        container_images:
          - name: python
            steps: [{run: "FROM debian:12", size: 100MB}]
        platform: {engines: faas, base_images: [python]}
        functions:
          - {name: f, base_image: python, code: 5MB, memory: 1769MiB, instance_concurrency: 4, arrivals: {interarrival: {distribution: deterministic, value: 1000000s}}, duration: 10s, timeout: 15min, runtime_init: 500ms, function_init: 500ms, keep_alive: 10min}
        """;

    /// <summary>
    /// Runs <paramref name="yaml"/> with one call at 0 s (it starts the first instance) and
    /// <paramref name="later"/> at once at 100 s, to <paramref name="until"/>; returns the
    /// datacenter, the statistics of 'f', and its bill just before the later calls.
    /// </summary>
    private static (DC Datacenter, FunctionStatistics Stats, double BillBefore) OneThenMoreCalls(string yaml, int later = 4, double until = 300)
    {
        var scenario = ScenarioLoader.Parse("f.yaml", yaml);
        var sim = new Simulation(1);
        var dc = new DC(sim, scenario.Datacenter!);
        dc.Start();
        var platform = dc.Functions!;
        sim.Schedule(0, () => platform.Invoke("f"));
        double billBefore = double.NaN;
        sim.Schedule(100, () =>
        {
            billBefore = platform.StatisticsOf("f").Bill;
            for (int i = 0; i < later; i++)
            {
                platform.Invoke("f");
            }
        });
        sim.Run(until: until);
        return (dc, platform.StatisticsOf("f"), billBefore);
    }

    [Test]
    public void InvocationsSharingAnInstanceOnAnEngineShareItsCpu()
    {
        var (dc, stats, _) = OneThenMoreCalls(SharedYaml);
        Assert.That(stats.ColdStarts, Is.EqualTo(1), "the four later calls share the warm instance");
        // Four calls of 10 s of CPU at once on one vCPU: processor sharing ends all four at 40 s.
        Assert.That(stats.WarmResponse.Count, Is.EqualTo(4));
        Assert.That(stats.WarmResponse.Mean, Is.EqualTo(40).Within(1e-6));
        Assert.That(stats.WarmResponse.Max, Is.EqualTo(40).Within(1e-6));
        // The lone cold call runs its 10 s after the container and 1 s of initialization.
        Assert.That(stats.ColdResponse.Mean - stats.ColdStartup.Mean, Is.EqualTo(10).Within(1e-6));
        // The node was busy for the five calls' CPU: 50 core-seconds.
        Assert.That(dc.Hosts[0].BusyCoreSeconds, Is.EqualTo(50).Within(1e-6));
    }

    [Test]
    public void AnInvocationSlowedByItsNeighboursIsKilledAtItsLimit()
    {
        // The same four calls with a 30 s limit: sharing one vCPU they would need 40 s, so at
        // 30 s all four are killed, 7.5 s of CPU done each, and billed for 30 s.
        var (dc, stats, billBefore) = OneThenMoreCalls(SharedYaml.Replace("timeout: 15min", "timeout: 30s"));
        Assert.That(stats.Timeouts, Is.EqualTo(4));
        Assert.That(stats.WarmResponse.Count, Is.Zero);
        Assert.That(dc.Hosts[0].BusyCoreSeconds, Is.EqualTo(10 + 4 * 7.5).Within(1e-6));
        Assert.That(stats.Bill - billBefore, Is.EqualTo(4 * FunctionPricing.Default.Invocation(1769.0 * 1024 * 1024, 30)).Within(1e-12));
    }

    [Test]
    public void InvocationsInInstancesOfTheirOwnDoNotSlowEachOther()
    {
        var (_, stats, _) = OneThenMoreCalls(SharedYaml.Replace("instance_concurrency: 4", "instance_concurrency: 1"));
        // One warm instance takes the first of the four; three more start cold, a vCPU each on
        // the 4-core node: every call runs its 10 s alone.
        Assert.That(stats.ColdStarts, Is.EqualTo(4));
        Assert.That(stats.WarmResponse.Mean, Is.EqualTo(10).Within(1e-6));
        Assert.That(stats.ColdResponse.Mean - stats.ColdStartup.Mean, Is.EqualTo(10).Within(1e-6));
    }

    [TestCase("own_container", null, 2, 3, 1)]
    [TestCase("own_container", "20min", 3, 4, 0)]
    [TestCase("first_ready", null, 2, 4, 0)]
    public void AnInvocationWaitingForRoomRunsOnTheFirstInstanceFreeWhenRoutedSo(string routing, string? requestTimeout, int coldStarts, int responses, int abandoned)
    {
        // A 2-core node holds two 1-vCPU instances. At 100 s three calls come at once: one takes
        // the warm instance for 10 s, one starts a second instance, and the third's container
        // finds no room. Waiting for its own, it could start only when the first instance expires
        // (10 minutes idle after 110 s): the gateway gives it up at 400 s (its 300 s request
        // timeout); allowed 20 minutes, it runs cold after over 600 s. Routed to the first
        // instance free, it runs there at 110 s, warm, and is done at 120 s.
        string timeout = requestTimeout is null ? "" : $", request_timeout: {requestTimeout}";
        var yaml = SharedYaml.Replace("cores: 4,", "cores: 2,").Replace("instance_concurrency: 4", "instance_concurrency: 1")
            .Replace("platform: {engines: faas, base_images: [python]}", $"platform: {{engines: faas, base_images: [python], routing: {routing}{timeout}}}");
        var (_, stats, _) = OneThenMoreCalls(yaml, later: 3, until: 1000);
        Assert.That(stats.Response.Count, Is.EqualTo(responses));
        Assert.That(stats.ColdStarts, Is.EqualTo(coldStarts));
        Assert.That(stats.Abandoned, Is.EqualTo(abandoned));
        if (routing == "first_ready")
        {
            Assert.That(stats.Response.Max, Is.EqualTo(20).Within(1e-6), "waited 10 s for the first instance, ran 10 s");
            Assert.That(stats.WarmResponse.Count, Is.EqualTo(2));
        }
        else if (abandoned == 0)
        {
            Assert.That(stats.Response.Max, Is.GreaterThan(600));
        }
        else
        {
            Assert.That(stats.Response.Max, Is.LessThan(20), "the two served calls ran at once for 10 s");
        }
    }

    [Test]
    public void ACallWaitingForRoomIsNotYetACountedColdStart()
    {
        // As above, routed to the first instance free, but stopped at 105 s: the first call ran
        // cold at 0 s, the second's instance started at 100 s; the third still waits for room
        // and will run warm at 110 s. Counting it cold on arrival (and taking it back on the
        // hand-over) would read 3 here.
        var yaml = SharedYaml.Replace("cores: 4,", "cores: 2,").Replace("instance_concurrency: 4", "instance_concurrency: 1")
            .Replace("platform: {engines: faas, base_images: [python]}", "platform: {engines: faas, base_images: [python], routing: first_ready}");
        var (_, stats, _) = OneThenMoreCalls(yaml, later: 3, until: 105);
        Assert.That(stats.Invocations, Is.EqualTo(4));
        Assert.That(stats.ColdStarts, Is.EqualTo(2));
        var (_, after, _) = OneThenMoreCalls(yaml, later: 3, until: 1000);
        Assert.That(after.ColdStarts, Is.EqualTo(after.ColdResponse.Count), "once all are done, every counted cold start is a cold response");
    }

    [TestCase("{distribution: exponential, mean: 1s}")]
    [TestCase("{distribution: deterministic, value: 1s}")]
    public void OneInstanceServingEveryCallIsAProcessorSharingQueue(string work)
    {
        // One provisioned instance with a vCPU, taking every call (no limit on the calls it
        // serves at once): Poisson calls at 0.7/s of 1 s of CPU share it as in M/G/1-PS, whose
        // mean response time is E[S] / (1 - rho) = 1 / 0.3 s, whatever the distribution of work.
        var yaml = SharedYaml
            .Replace("instance_concurrency: 4", "instance_concurrency: 10000, provisioned: 1")
            .Replace("arrivals: {interarrival: {distribution: deterministic, value: 1000000s}}", "arrivals: {rate: 0.7/s}")
            .Replace("duration: 10s", $"duration: {work}")
            .Replace("duration: 1h", "duration: 20000s\nwarmup: 500s\nreplications: 20");
        var summary = ExperimentRunner.Run(ScenarioLoader.Parse("f.yaml", yaml)).Summary.ToDictionary(m => m.Name, m => m.Interval);
        Assert.That(summary["f.cold_start_ratio"].Mean, Is.Zero, "the provisioned instance serves them all");
        var response = summary["f.response_time_mean"];
        double theory = 1 / (1 - 0.7);
        Assert.That(response.HalfWidth / theory, Is.LessThan(0.05), $"interval too wide to say anything: {response}");
        Assert.That(response.Contains(theory), Is.True, $"theory {theory} outside {response.Low} .. {response.High}");
    }

    [Test]
    public void AnExpiredInstanceReleasesItsContainer()
    {
        var scenario = ScenarioLoader.Parse("f.yaml", Yaml);
        var sim = new Simulation(1);
        var dc = new DC(sim, scenario.Datacenter!);
        dc.Start();
        sim.Run(until: 1010);
        var engine = dc.Containers!.Engines.Single();
        Assert.That(engine.PodCount, Is.EqualTo(1), "the instance of 'first' holds its container");
        Assert.That(engine.CpuReserved, Is.EqualTo(1).Within(1e-9), "1,769 MiB of memory: one vCPU");
        sim.Run(until: 1010 + 125);
        Assert.That(dc.Containers.Pods[0].Phase, Is.EqualTo(PodPhase.Stopped), "two minutes idle: released at 1,124.74 s");
        Assert.That(engine.PodCount, Is.EqualTo(1), "only the instance of 'second', started at 1,100 s, remains");
        sim.Run(until: 1100 + 1.19 + 121);
        Assert.That(engine.PodCount, Is.Zero);
        Assert.That(engine.CpuReserved, Is.Zero.Within(1e-9));
    }

    [Test]
    public void AFunctionMayUseOnlyTheProvidersBaseImages()
    {
        var yaml = Yaml.Replace("  - name: python\n", "  - name: custom\n    steps: [{run: \"FROM scratch\", size: 1MB}]\n  - name: python\n")
            .Replace("{name: second, base_image: python", "{name: second, base_image: custom");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", yaml))!;
        Assert.That(e.Message, Does.Contain("a function may use only the provider's base images (python), not 'custom'"));
    }

    [Test]
    public void RoutingNeedsEnginesAndAKnownChoice()
    {
        const string alone = """
            duration: 1h
            platform: {routing: first_ready}
            functions:
              - {name: f, arrivals: {rate: 1/s}, duration: 100ms}
            """;
        var off = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", alone))!;
        Assert.That(off.Message, Does.Contain("platform.routing: routing decides where an invocation waiting for a new container runs: the platform needs engines"));
        var unknown = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", Yaml.Replace("base_images: [python]}", "base_images: [python], routing: fastest}")))!;
        Assert.That(unknown.Message, Does.Contain("expected one of own_container, first_ready, not 'fastest'"));
    }

    [Test]
    public void TheHybridPolicyIsRefusedOnEnginesForNow()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", Yaml.Replace("keep_alive: 2min}\n  - {name: second", "keep_alive: {policy: hybrid}}\n  - {name: second")))!;
        Assert.That(e.Message, Does.Contain("not modelled on container engines yet"));
    }
}
