using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>Each example's comment states what to expect; these tests hold the runs to those figures.</summary>
public class ExampleFiguresTests
{
    private static Dictionary<string, VirtSim.Kernel.Statistics.ConfidenceInterval> Run(string file)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, file));
        return ExperimentRunner.Run(scenario).Summary.ToDictionary(m => m.Name, m => m.Interval);
    }

    [Test]
    public void TheEightGigabyteImageTakesOverThreeMinutesAsImageTransferSays()
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "image-transfer.yaml"));
        var timeline = ExperimentRunner.RunOne(scenario, 0, timeline: true).Timeline!;
        var transfer = timeline.Where(r => r.Phase == "TransferringImage").Single();
        double end = timeline.First(r => r.Vm == transfer.Vm && r.Time > transfer.Time).Time;
        // 64 s in theory, 64 / 0.35 = 183 s at 35% (plus the link's 100 us latency).
        Assert.That(end - transfer.Time, Is.EqualTo(8e9 * 8 / 1e9 / 0.35).Within(0.001));
        Assert.That(Math.Round(end - transfer.Time), Is.EqualTo(183));
    }

    [Test]
    public void OnlyTheChangedLayerAndThoseAboveItMoveAsContainerLayersSays()
    {
        var m = Run("container-layers.yaml");
        // Ten nodes: 40 MB each for the PHP layer, 240 MB each for MySQL's and PHP's above it.
        Assert.That(m["php-update.bytes_pulled"].Mean, Is.EqualTo(10 * 40e6));
        Assert.That(m["mysql-update.bytes_pulled"].Mean, Is.EqualTo(10 * 240e6));
    }

    [Test]
    public void LongerKeepAliveMeansFewerColdStartsAsFaasKeepAliveSays()
    {
        var m = Run("faas-keep-alive.yaml");
        // exp(-window / 300 s) for 1, 5 and 10 minutes, within the run's interval; 0.004 at 30 minutes.
        foreach (var (name, window) in new[] { ("keep-1min", 60.0), ("keep-5min", 300.0), ("keep-10min", 600.0) })
        {
            var ratio = m[$"{name}.cold_start_ratio"];
            Assert.That(Math.Exp(-window / 300), Is.EqualTo(ratio.Mean).Within(2 * ratio.HalfWidth + 0.005), name);
        }
        Assert.That(m["keep-30min.cold_start_ratio"].Mean, Is.EqualTo(0.004).Within(0.0015));
        Assert.That(m["keep-30min.cold_start_ratio"].Mean, Is.GreaterThan(Math.Exp(-6)), "busy-instance arrivals add to the lone-instance bound");
    }

    [Test]
    public void TheConcurrencyLimitThrottlesTheErlangBShareAsFaasLimitsSays()
    {
        var m = Run("faas-limits.yaml");
        // B(10, 12) by the Erlang B recursion.
        double b = 1;
        for (int k = 1; k <= 10; k++)
        {
            b = 12 * b / (k + 12 * b);
        }
        Assert.That(b, Is.EqualTo(0.30).Within(0.005));
        Assert.That(m["burst.throttled"].Mean / m["burst.invocations"].Mean, Is.EqualTo(b).Within(0.01));
    }

    [Test]
    public void TypeOneCostsCpuBoundWorkAboutTenPercentAndTheRestMoreAsHypervisorsSays()
    {
        var m = Run("hypervisors.yaml");
        double Ratio(string service, string host) => m[$"{service}-{host}.response_time_mean"].Mean / m[$"{service}-bare.response_time_mean"].Mean;
        Assert.That(Ratio("cpu", "type1"), Is.EqualTo(1.10).Within(0.03));
        Assert.That(Ratio("io", "type1"), Is.GreaterThan(Ratio("cpu", "type1")), "I/O-bound requests pay more");
        Assert.That(Ratio("cpu", "type2"), Is.GreaterThan(Ratio("cpu", "type1")));
        Assert.That(Ratio("io", "type2"), Is.GreaterThan(Ratio("io", "type1")));
        Assert.That(Ratio("cpu", "emulated"), Is.GreaterThan(3), "several times slower on CPU");
    }
}
