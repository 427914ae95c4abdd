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
