using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class FunctionScenarioTests
{
    private const string Good = """
        duration: 1h
        platform: {account_concurrency: 100, throttle: queue, price_per_gb_second: 0.00002}
        functions:
          - name: thumb
            memory: 512MiB
            timeout: 30s
            concurrency: 20
            arrivals: {rate: 2/s}
            duration: {distribution: exponential, mean: 300ms}
            runtime_init: 200ms
            function_init: 1s
            keep_alive: {policy: fixed, idle: 15min}
            provisioned: 1
        """;

    [Test]
    public void FunctionsAloneMakeAScenario()
    {
        var platform = ScenarioLoader.Parse("f.yaml", Good).Datacenter!.Functions!;
        var f = platform.Functions.Single();
        Assert.That((f.MemoryBytes, f.Timeout, f.Concurrency, f.RuntimeInit, f.FunctionInit, f.Provisioned),
            Is.EqualTo((512.0 * 1024 * 1024, 30.0, (int?)20, 0.2, 1.0, 1)));
        Assert.That(f.KeepAlive, Is.EqualTo(new KeepAlivePolicy.Fixed(900)));
        Assert.That((platform.AccountConcurrency, platform.Throttle, platform.Pricing.PerGbSecond), Is.EqualTo(((int?)100, ThrottlePolicy.Queue, 0.00002)));
    }

    [Test]
    public void AFunctionLeftToItsDefaultsIsTheSameInRunAndInCompare()
    {
        // Lambda's defaults, whichever command reads the file: 128 MiB, 3 s, and the assumed 0.25 s inits.
        var alone = ScenarioLoader.Parse("f.yaml", "duration: 1h\nfunctions: [{name: f, arrivals: {rate: 1/s}, duration: 100ms}]\n")
            .Datacenter!.Functions!.Functions[0];
        string comparison = File.ReadAllText(Path.Combine(Repository.Examples, "compare-web-api.yaml"))
            .Replace("function: {memory: 512MiB, keep_alive: 10min, runtime_init: 300ms, function_init: 400ms}", "function: {}", StringComparison.Ordinal);
        var compared = ComparisonReader.Parse("c.yaml", comparison).Deployments.Single(d => d.Kind == ComparisonReader.ProviderFunctions)
            .Scenario.Datacenter!.Functions!.Functions[0];
        foreach (var f in new[] { alone, compared })
        {
            Assert.That((f.MemoryBytes, f.Timeout, f.RuntimeInit, f.FunctionInit),
                Is.EqualTo((FunctionSpec.DefaultMemoryBytes, FunctionSpec.DefaultTimeout, FunctionSpec.DefaultRuntimeInit, FunctionSpec.DefaultFunctionInit)));
        }
        Assert.That((FunctionSpec.DefaultMemoryBytes, FunctionSpec.DefaultTimeout), Is.EqualTo((128.0 * 1024 * 1024, 3.0)));
    }

    [Test]
    public void AFunctionReadsAndRespondsAfterItsExecution()
    {
        // 100 ms of execution, 12.5 MB read at the provider's 125 MB/s, 7.5 MB sent at 75 MB/s: 0.3 s warm.
        string text = Good.Replace("duration: {distribution: exponential, mean: 300ms}", "duration: 100ms\n    disk: 12.5MB\n    network: 7.5MB", StringComparison.Ordinal);
        var scenario = ScenarioLoader.Parse("f.yaml", text) with { Replications = 1 };
        var f = scenario.Datacenter!.Functions!.Functions[0];
        Assert.That((f.DiskBytes, f.ResponseBytes), Is.EqualTo((12.5e6, 7.5e6)));
        var result = VirtSim.Experiments.Running.ExperimentRunner.Run(scenario);
        double warm = result.Summary.Single(m => m.Name == "thumb.response_time_warm_mean").Interval.Mean;
        Assert.That(warm, Is.EqualTo(0.3).Within(1e-9));
    }

    [Test]
    public void AnInstancesVcpusOnEnginesAreAnInputAndAppearInTheResults()
    {
        // faas-engines: webhook has 256 MiB, so 256/1769 of a vCPU by the provider's ratio; given 1 vCPU, 80 ms of work takes 80 ms.
        string file = Path.Combine(Repository.Examples, "faas-engines.yaml");
        var byRatio = ScenarioLoader.LoadFile(file) with { Replications = 1, Duration = 6 * 3600 };
        string text = File.ReadAllText(file).Replace("duration: 80ms, keep_alive: 10min}", "duration: 80ms, keep_alive: 10min, vcpus: 1}", StringComparison.Ordinal);
        var given = ScenarioLoader.Parse(file, text) with { Replications = 1, Duration = 6 * 3600 };
        double Metric(Scenario s, string name) => VirtSim.Experiments.Running.ExperimentRunner.Run(s).Summary.Single(m => m.Name == name).Interval.Mean;
        Assert.That(Metric(byRatio, "webhook.instance_vcpus"), Is.EqualTo(256.0 / 1769).Within(1e-12));
        Assert.That(Metric(given, "webhook.instance_vcpus"), Is.EqualTo(1));
        Assert.That(Metric(given, "webhook.response_time_warm_mean"), Is.EqualTo(0.08).Within(1e-9));
    }

    [Test]
    public void InstancesAreContainersThatExistNotInvocationsWaitingForAnEngine()
    {
        // One engine in a 4-vCPU, 8 GiB VM holds four 1-vCPU instances (1,769 MiB each); fifty
        // calls a second of 1 s each ask for far more. The instances counted are at most the four
        // containers that fit; the calls waiting for an engine are counted and timed apart.
        const string text = """
            duration: 5min
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts: [{group: virt, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: type1}]
              engines: [{name: pool, engine: containerd, vm: {image: ubuntu, vcpus: 4, memory: 8GiB}, count: 1, max: 1}]
            images: [{name: ubuntu, size: 2GB}]
            container_images: [{name: py, steps: [{run: FROM python, size: 100MB}]}]
            platform: {engines: pool, base_images: [py], throttle: queue}
            functions:
              - {name: f, base_image: py, memory: 1769MiB, timeout: 30s, arrivals: {rate: 50/s}, duration: 1s, keep_alive: 10min}
            """;
        var m = VirtSim.Experiments.Running.ExperimentRunner.Run(ScenarioLoader.Parse("f.yaml", text) with { Replications = 1 })
            .Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["f.instances_busy_mean"], Is.LessThanOrEqualTo(4));
        Assert.That(m["f.instances_mean"], Is.LessThanOrEqualTo(4));
        Assert.That(m["f.instances_waiting_mean"], Is.GreaterThan(100), "the backlog of calls waiting for a container");
        Assert.That(m["f.container_wait_mean"], Is.GreaterThan(1));
    }

    [Test]
    public void EveryFunctionMeasureCountsTheInvocationsThatArrivedAfterTheWarmUp()
    {
        // Calls every 9.5 s, kept warm for an hour: only the first, at 9.5 s, is cold; it arrives
        // in the 10 s warm-up and ends after it. Neither the cold-start ratio nor the cold
        // response time may count it (one did, and read 0 beside a finite cold response).
        const string text = """
            warmup: 10s
            duration: 10min
            functions:
              - {name: f, arrivals: {interarrival: {distribution: deterministic, value: 9500ms}}, duration: 100ms, keep_alive: 1h}
            """;
        var m = VirtSim.Experiments.Running.ExperimentRunner.Run(ScenarioLoader.Parse("f.yaml", text) with { Replications = 1 })
            .Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["f.cold_start_ratio"], Is.Zero);
        Assert.That(m["f.response_time_cold_mean"], Is.NaN, "no cold response after the warm-up");
        Assert.That(m["f.cold_start_mean"], Is.EqualTo(FunctionSpec.DefaultRuntimeInit + FunctionSpec.DefaultFunctionInit),
            "start-up times are kept across the warm-up, as VMs' and pods' are");
    }

    [Test]
    public void VcpusBelongToFunctionsOnEngines()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", Good.Replace("provisioned: 1", "provisioned: 1\n    vcpus: 2", StringComparison.Ordinal)));
        Assert.That(e!.Message, Does.Contain("vcpus sets an instance's cores on container engines"));
    }

    [Test]
    public void KeepAliveCanBeAWindowOrNone()
    {
        Assert.That(ScenarioLoader.Parse("f.yaml", Good.Replace("{policy: fixed, idle: 15min}", "none")).Datacenter!.Functions!.Functions[0].KeepAlive,
            Is.InstanceOf<KeepAlivePolicy.None>());
        Assert.That(ScenarioLoader.Parse("f.yaml", Good.Replace("{policy: fixed, idle: 15min}", "2min")).Datacenter!.Functions!.Functions[0].KeepAlive,
            Is.EqualTo(new KeepAlivePolicy.Fixed(120)));
    }

    private static ScenarioException Bad(string text) =>
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", text))!;

    [Test]
    public void AnUnknownKeepAlivePolicyListsTheKnownOnes() =>
        Assert.That(Bad(Good.Replace("policy: fixed", "policy: psychic")).Message, Does.Contain("expected one of fixed, none, hybrid, not 'psychic'"));

    [Test]
    public void AZeroMemoryIsRefused() =>
        Assert.That(Bad(Good.Replace("memory: 512MiB", "memory: 0MB")).Message, Does.Contain("functions[0].memory: expected a size greater than zero"));

    [Test]
    public void AnUnknownFunctionKeyIsNamed() =>
        Assert.That(Bad(Good.Replace("provisioned: 1", "provisoned: 1")).Message, Does.Contain("unknown key 'provisoned'").And.Contain("did you mean 'provisioned'?"));

    [Test]
    public void APlatformWithoutFunctionsIsRefused() =>
        Assert.That(Bad("duration: 1h\nplatform: {throttle: queue}\n").Message, Does.Contain("a platform needs functions to run"));

    [Test]
    public void AnUnknownThrottlePolicyIsNamed() =>
        Assert.That(Bad(Good.Replace("throttle: queue", "throttle: drop")).Message, Does.Contain("expected one of reject, queue, not 'drop'"));
}
