using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Datacenter;

public class HybridKeepAliveTests
{
    [Test]
    public void AFunctionCalledEveryHalfHourIsPrewarmedJustBeforeAndReleasedJustAfter()
    {
        // Idle times of 29.9 minutes fall in the 29-minute bin: pre-warm at 29 min less 10%,
        // keep until 30 min plus 10%.
        var state = new HybridHistogramPolicy().Start();
        for (int i = 0; i < 20; i++)
        {
            state.Observe(29.9 * 60);
        }
        Assert.That(state.Window(), Is.EqualTo(new KeepAliveWindow(29 * 60 * 0.9, 30 * 60 * 1.1)));
    }

    [Test]
    public void TooFewIdleTimesFallBackToKeepingForTheWholeRange()
    {
        var state = new HybridHistogramPolicy().Start();
        for (int i = 0; i < 9; i++)
        {
            state.Observe(1800);
        }
        Assert.That(state.Window(), Is.EqualTo(new KeepAliveWindow(0, 4 * 3600)));
    }

    [Test]
    public void AFlatHistogramSaysNothingAndFallsBack()
    {
        // One idle time in every bin: coefficient of variation 0, far below 2.
        var state = new HybridHistogramPolicy().Start();
        for (int minute = 0; minute < 240; minute++)
        {
            state.Observe(minute * 60 + 30);
        }
        Assert.That(state.Window(), Is.EqualTo(new KeepAliveWindow(0, 4 * 3600)));
    }

    [Test]
    public void MostIdleTimesOutOfRangeFallBack()
    {
        var state = new HybridHistogramPolicy().Start();
        for (int i = 0; i < 20; i++)
        {
            state.Observe(i % 3 == 0 ? 600 : 6 * 3600);
        }
        Assert.That(state.Window().PrewarmAfter, Is.Zero);
    }

    [Test]
    public void OnAHalfHourlyTimerTheHybridPolicyKeepsItWarmWithAQuarterOfTheIdleMemory()
    {
        // A timer every 30 minutes for a week, 1 s of work. A fixed 35-minute keep-alive keeps
        // it warm but holds the instance ~29 of every 30 minutes; the hybrid policy loads it
        // only from 26.1 to 33 minutes after each run, once it has learned the pattern.
        const string yaml = """
            duration: 7d
            replications: 1
            functions:
              - {name: hybrid, memory: 1GiB, arrivals: {interarrival: {distribution: deterministic, value: 30min}}, duration: 1s, keep_alive: {policy: hybrid}}
              - {name: fixed, memory: 1GiB, arrivals: {interarrival: {distribution: deterministic, value: 30min}}, duration: 1s, keep_alive: 35min}
            """;
        var m = ExperimentRunner.Run(ScenarioLoader.Parse("timer.yaml", yaml)).Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["hybrid.cold_start_ratio"], Is.LessThan(0.01), "only the first invocation starts cold: the fallback keeps it warm while learning");
        Assert.That(m["fixed.cold_start_ratio"], Is.LessThan(0.01));
        Assert.That(m["hybrid.idle_gb_seconds"] / m["fixed.idle_gb_seconds"], Is.LessThan(0.3));
    }

    [Test]
    public void TheHybridPolicyIsReadWithItsParameters()
    {
        const string yaml = """
            duration: 1h
            functions:
              - {name: f, arrivals: {rate: 1/min}, duration: 1s, keep_alive: {policy: hybrid, bin: 30s, range: 2h, tail_percentile: 0.95, margin: 0.2}}
            """;
        var policy = ScenarioLoader.Parse("f.yaml", yaml).Datacenter!.Functions!.Functions[0].KeepAlive;
        Assert.That(policy, Is.EqualTo(new HybridHistogramPolicy(30, 7200, 0.05, 0.95, 0.2, 10, 2)));
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("f.yaml", yaml.Replace("tail_percentile: 0.95", "tail_percentile: 0.01")))!;
        Assert.That(e.Message, Does.Contain("expected the tail percentile to be at least the head percentile"));
    }
}
