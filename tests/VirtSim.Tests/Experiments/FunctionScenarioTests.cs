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
