using VirtSim.Datacenter;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Random;
using VirtSim.Kernel.Statistics;
using static VirtSim.Tests.Datacenter.QueueingTheory;

namespace VirtSim.Tests.Datacenter;

public class FunctionPlatformTests
{
    private static FunctionSpec Function(Distribution interarrival, Distribution duration, double runtimeInit = 0.25, double functionInit = 0.25,
        KeepAlivePolicy? keepAlive = null, int? concurrency = null, int provisioned = 0, double timeout = 900, Distribution? cold = null,
        double memoryMb = 128) =>
        new("f", memoryMb * 1024 * 1024, timeout, concurrency, interarrival, duration, runtimeInit, functionInit,
            keepAlive ?? KeepAlivePolicy.Fixed.Default, provisioned, cold);

    private static Dictionary<string, ConfidenceInterval> Run(FunctionSpec function, double duration, int replications = 10,
        ThrottlePolicy throttle = ThrottlePolicy.Reject, double warmup = 0)
    {
        var platform = new FunctionPlatformSpec([function], null, throttle, FunctionPricing.Default);
        var spec = new DatacenterSpec([], new VirtSim.Datacenter.Network.TopologySpec.Star(new(1e9, 0, 1), new(1e9, 0, 1), new(1e9, 0, 1)),
            VirtSim.Datacenter.Placement.PlacementRule.FirstFit, AdmissionPolicy.Queue, [], [], [], Functions: platform);
        var scenario = new Scenario("faas", "", 77, replications, warmup, duration, null, spec);
        return ExperimentRunner.Run(scenario).Summary.ToDictionary(m => m.Name, m => m.Interval);
    }

    [Test]
    public void ALoneInstanceUnderSparsePoissonArrivalsStartsColdWithProbabilityExpMinusRateTimesKeepAlive()
    {
        // λ = 1/600 per second, keep-alive T = 600 s: an arrival is warm if the previous
        // invocation ended less than T before it. With service s (0.51 s cold, 0.01 s warm) the
        // cold share p solves p = p e^{-λ(T+0.51)} + (1-p) e^{-λ(T+0.01)}: p ≈ e^{-1} = 0.368.
        double lambda = 1 / 600.0, t = 600;
        double a = Math.Exp(-lambda * (t + 0.51)), b = Math.Exp(-lambda * (t + 0.01));
        double theory = b / (1 + b - a);
        var r = Run(Function(new Distribution.Exponential(1 / lambda), new Distribution.Deterministic(0.01)), duration: 1e7);
        Assert.That(r["f.cold_start_ratio"].HalfWidth, Is.LessThan(0.005));
        Assert.That(r["f.cold_start_ratio"].Contains(theory), Is.True, $"{theory} outside {r["f.cold_start_ratio"]}");
        Assert.That(theory, Is.EqualTo(Math.Exp(-1)).Within(0.001));
    }

    [Test]
    public void AConcurrencyLimitWithRejectionLosesTheErlangBShare()
    {
        // Concurrency 5, λ = 3/s, exponential execution of mean 1 s and no initialization:
        // the function is an M/M/5/5 loss system, B(5, 3) = 0.1101 of invocations throttled.
        var f = Function(new Distribution.Exponential(1 / 3.0), new Distribution.Exponential(1), 0, 0, concurrency: 5);
        var r = Run(f, duration: 20_000);
        double throttled = r["f.throttled"].Mean / r["f.invocations"].Mean;
        Assert.That(throttled, Is.EqualTo(ErlangB(5, 3)).Within(0.004));
    }

    [Test]
    public void BusyInstancesFollowLittlesLaw()
    {
        // The analytical setting of the issue: λ = 0.9/s, warm 2.016 s, cold 2.163 s
        // (exponential), expiration 600 s. Busy instances = λ (p E[cold] + (1-p) E[warm]).
        var f = Function(new Distribution.Exponential(1 / 0.9), new Distribution.Exponential(2.016), cold: new Distribution.Exponential(2.163),
            keepAlive: new KeepAlivePolicy.Fixed(600));
        var r = Run(f, duration: 100_000, warmup: 1000);
        double p = r["f.cold_start_ratio"].Mean;
        double theory = 0.9 * (p * 2.163 + (1 - p) * 2.016);
        Assert.That(r["f.instances_busy_mean"].Contains(theory), Is.True, $"{theory} outside {r["f.instances_busy_mean"]}");
        Assert.That(p, Is.LessThan(0.01), "at 0.9/s with a 600 s keep-alive, cold starts are rare");
        Assert.That(r["f.instances_mean"].Mean, Is.GreaterThan(r["f.instances_busy_mean"].Mean), "idle instances are kept warm too");
    }

    [Test]
    public void AnInvocationOverItsLimitIsKilledAtTheLimitAndBilledForIt()
    {
        // Every invocation wants 5 s but the limit is 2 s: all are killed, billed 2 s each.
        var f = Function(new Distribution.Deterministic(100), new Distribution.Deterministic(5), 0, 0, timeout: 2, memoryMb: 1024);
        var r = Run(f, duration: 100_050, replications: 1);     // the last one, at 100,000 s, ends too
        Assert.That(r["f.timeouts"].Mean, Is.EqualTo(r["f.invocations"].Mean));
        double perInvocation = 1.0 * 2 * 0.0000166667 + 0.20 / 1e6;
        Assert.That(r["f.bill"].Mean, Is.EqualTo(r["f.invocations"].Mean * perInvocation).Within(1e-9));
    }

    [Test]
    public void ProvisionedInstancesNeverStartColdWithinTheirNumber()
    {
        // One invocation every 10 s for 1 s, three provisioned instances, no keep-alive for
        // on-demand ones: at most one is ever busy, so none starts cold.
        var f = Function(new Distribution.Deterministic(10), new Distribution.Deterministic(1), keepAlive: new KeepAlivePolicy.None(), provisioned: 3);
        var r = Run(f, duration: 10_000, replications: 1);
        Assert.That(r["f.cold_start_ratio"].Mean, Is.Zero);
        var without = Run(f with { Provisioned = 0 }, duration: 10_000, replications: 1);
        Assert.That(without["f.cold_start_ratio"].Mean, Is.EqualTo(1), "without them and without keep-alive, every start is cold");
    }

    [Test]
    public void TheBillEqualsTheHandComputedOne()
    {
        // 1,000 invocations (one every 10 s up to 10,000 s, all ended by 10,000.5 s) of a 512 MiB
        // function running 250.4 ms, billed per 1 ms (251 ms), plus one provisioned instance
        // kept for the 10,000.5 s.
        var f = Function(new Distribution.Deterministic(10), new Distribution.Deterministic(0.2504), 0, 0, provisioned: 1, memoryMb: 512);
        var r = Run(f, duration: 10_000.5, replications: 1);
        Assert.That(r["f.invocations"].Mean, Is.EqualTo(1000));
        double invocations = 1000 * (0.5 * 0.251 * 0.0000166667 + 0.20 / 1e6);
        double provisioned = 0.5 * 10_000.5 * 0.0000041667;
        Assert.That(r["f.bill"].Mean, Is.EqualTo(invocations + provisioned).Within(1e-9));
    }

    [Test]
    public void QueuedInvocationsAreNotLostButWait()
    {
        var f = Function(new Distribution.Exponential(1 / 3.0), new Distribution.Exponential(1), 0, 0, concurrency: 5);
        var r = Run(f, duration: 20_000, replications: 3, throttle: ThrottlePolicy.Queue);
        Assert.That(r["f.throttled"].Mean, Is.Zero);
        // M/M/5 at 3 erlangs: E[T] from Erlang C.
        Assert.That(r["f.response_time_mean"].Mean, Is.EqualTo(MmcMeanResponse(5, 3, 1)).Within(0.05));
    }
}

public class FunctionCompositionTests
{
    private static Dictionary<string, double> Run(string yaml, double duration = 100_000)
    {
        var scenario = ScenarioLoader.Parse("chain.yaml", yaml) with { Duration = duration, Replications = 1 };
        return ExperimentRunner.Run(scenario).Summary.ToDictionary(m => m.Name, m => m.Interval.Mean);
    }

    // One request to a every 100 s (b and c get practically none of their own); every function
    // runs 100 ms, with no initialization, 1 GiB.
    private const string Chain = """
        duration: 1h
        functions:
          - {name: a, memory: 1GiB, arrivals: {interarrival: {distribution: deterministic, value: 100s}}, duration: 100ms, runtime_init: 0s, function_init: 0s, calls: [{function: b, sync: SYNC}]}
          - {name: b, memory: 1GiB, arrivals: {rate: 1e-9/d}, duration: 100ms, runtime_init: 0s, function_init: 0s, calls: [{function: c, sync: SYNC}]}
          - {name: c, memory: 1GiB, arrivals: {rate: 1e-9/d}, duration: 100ms, runtime_init: 0s, function_init: 0s, state_accesses: 2}
        """;

    [Test]
    public void ASynchronousChainAddsUpItsLatenciesAndIsBilledForItsWaits()
    {
        // c: 100 ms + 2 store accesses of 5 ms = 110 ms; b waits for it: 210 ms; a: 310 ms.
        var m = Run(Chain.Replace("SYNC", "true"), duration: 100_050);
        Assert.That(m["c.response_time_mean"], Is.EqualTo(0.110).Within(1e-9));
        Assert.That(m["b.response_time_mean"], Is.EqualTo(0.210).Within(1e-9));
        Assert.That(m["a.response_time_mean"], Is.EqualTo(0.310).Within(1e-9));
        // Each function is billed for its whole time, waits included: 1 GiB x (0.31 + 0.21 + 0.11) s.
        double chainCost = (0.31 + 0.21 + 0.11) * 0.0000166667 + 3 * 0.20 / 1e6;
        double invocations = m["a.invocations"];
        Assert.That(m["a.bill"] + m["b.bill"] + m["c.bill"], Is.EqualTo(invocations * chainCost).Within(1e-9));
    }

    [Test]
    public void AnAsynchronousCallDoesNotWait()
    {
        var m = Run(Chain.Replace("SYNC", "false"), duration: 100_050);
        Assert.That(m["a.response_time_mean"], Is.EqualTo(0.100).Within(1e-9));
        Assert.That(m["c.invocations"], Is.EqualTo(m["a.invocations"]), "every call still reaches c");
    }

    [Test]
    public void PingsKeepASparseFunctionWarmForThePriceOfThePings()
    {
        // One invocation an hour on average; instances kept 10 minutes; a ping every 5 minutes.
        const string yaml = """
            duration: 1h
            functions:
              - {name: f, memory: 1GiB, arrivals: {rate: 1/h}, duration: 100ms, keep_alive: 10min, ping_interval: 5min}
              - {name: g, memory: 1GiB, arrivals: {rate: 1/h}, duration: 100ms, keep_alive: 10min}
            """;
        var m = Run(yaml, duration: 30 * 86_400);
        Assert.That(m["f.cold_start_ratio"], Is.LessThan(0.002), "the pings took the cold starts: real calls find a warm instance");
        Assert.That(m["g.cold_start_ratio"], Is.EqualTo(Math.Exp(-1.0 / 6)).Within(0.05), "without pings: about exp(-λT)");
        Assert.That(m["f.pings"], Is.EqualTo(30 * 86_400 / 300.0).Within(1));
        Assert.That(m["f.bill"], Is.GreaterThan(m["g.bill"]), "the pings are billed");
    }

    [Test]
    public void ACycleOfCallsIsRefused()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", Chain.Replace("SYNC", "true").Replace("state_accesses: 2}", "state_accesses: 2, calls: [{function: a}]}")))!;
        Assert.That(e.Message, Does.Contain("calling 'a' from 'c' closes a cycle"));
    }

    [Test]
    public void ACallToAnUnknownFunctionIsNamed()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", Chain.Replace("SYNC", "true").Replace("{function: c,", "{function: d,")))!;
        Assert.That(e.Message, Does.Contain("no function named 'd' (declared: a, b, c)"));
    }
}

public class InstanceConcurrencyTests
{
    private static Dictionary<string, double> Run(int perInstance)
    {
        string yaml = $$"""
            duration: 20000s
            warmup: 1000s
            replications: 3
            functions:
              - {name: f, arrivals: {rate: 8/s}, duration: {distribution: exponential, mean: 1s}, timeout: 1h, runtime_init: 0s, function_init: 0s, instance_concurrency: {{perInstance}}}
            """;
        return ExperimentRunner.Run(ScenarioLoader.Parse("k.yaml", yaml)).Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
    }

    [Test]
    public void InstancesServingSeveralInvocationsAtOnceNeedFewerInstances()
    {
        // λ = 8/s of 1 s each: 8 invocations in flight on average either way (Little's law).
        var one = Run(1);
        var four = Run(4);
        Assert.That(one["f.instances_busy_mean"], Is.EqualTo(8).Within(0.15));
        Assert.That(four["f.instances_busy_mean"], Is.GreaterThanOrEqualTo(2).And.LessThan(0.6 * one["f.instances_busy_mean"]));
        Assert.That(four["f.response_time_mean"], Is.EqualTo(1).Within(0.03), "sharing an instance does not slow an invocation down");
    }
}
