using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class ExampleScenarioTests
{
    // Comparison files (compare-*.yaml) are run by virtsim compare and tested in ComparisonTests.
    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Repository.Examples, "*.yaml").Select(Path.GetFileName).Where(f => !f!.StartsWith("compare-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Examples))]
    public void EveryExampleLoadsAndRuns(string file)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, file));
        var result = ExperimentRunner.Run(scenario with { Duration = Math.Min(scenario.Duration, 1800) }, new RunOptions(Replications: 2));
        var metrics = result.Summary.ToDictionary(m => m.Name, m => m.Interval.Mean);
        // Every number the model produced is a metric of the catalogue, with the catalogue's unit.
        foreach (var measurement in result.Replications[0].Measurements)
        {
            Assert.That(measurement.Metric, Is.Not.Null.And.AnyOf(VirtSim.Datacenter.Metrics.MetricCatalogue.All.ToArray()), measurement.Name);
            Assert.That(measurement.Unit, Is.EqualTo(measurement.Metric!.Unit));
        }
        if (scenario.Station is not null)
        {
            Assert.That(metrics["customers_served"], Is.GreaterThan(100));
        }
        else
        {
            Assert.That(metrics["vms_running"] + metrics.GetValueOrDefault("pods_started") + metrics.GetValueOrDefault("faas_bill"), Is.GreaterThan(0));
            Assert.That(metrics["vms_rejected"], Is.Zero);
        }
    }

    [Test]
    public void BakingPaysOnceTheImageIsCachedAndProvisioningOnAColdHostAsTheExampleSays()
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "bake-vs-provision.yaml"));
        var timeline = ExperimentRunner.RunOne(scenario, 0, timeline: true).Timeline!;
        double ReadyAfter(int vm) =>
            timeline.Single(r => r.Vm == vm && r.Phase == "Running").Time - timeline.Single(r => r.Vm == vm && r.Phase == "Requested").Time;
        // By hand, type-1 defaults (CPU at 1/1.10, I/O at 0.86) and the default boot: a 2 s loader,
        // 1 GB read from a 500 MB/s disk, 20 s of OS start-up. Images cross 1 Gb/s at 35%, after
        // the latencies of the repository's link and the host's (100 us each).
        const double cpu = 1 / 1.10, io = 0.86, link = 1e9 / 8 * 0.35, latency = 2 * 100e-6;
        double boot = 2 / cpu + 1e9 / (500e6 * io) + 20 / cpu;
        double provision = latency + 1e9 / (link * io) + 30 / cpu;
        var (bakedCold, provisionedCold, bakedWarm, provisionedWarm) = (ReadyAfter(0), ReadyAfter(1), ReadyAfter(2), ReadyAfter(3));
        Assert.That(bakedCold, Is.EqualTo(latency + 6e9 / link + boot).Within(1e-6));
        Assert.That(provisionedCold, Is.EqualTo(latency + 2e9 / link + boot + provision).Within(1e-6));
        Assert.That(bakedWarm, Is.EqualTo(boot).Within(1e-6));
        Assert.That(provisionedWarm, Is.EqualTo(boot + provision).Within(1e-6));
        // The figures the example's comment states, rounded as it rounds them.
        Assert.That(new[] { bakedCold, provisionedCold, bakedWarm, provisionedWarm }.Select(x => Math.Round(x)), Is.EqualTo(new[] { 164.0, 132, 27, 86 }));
        Assert.That(Math.Round(4e9 / link), Is.EqualTo(91));
        Assert.That(Math.Round(provision), Is.EqualTo(60));
    }

    [Test]
    public void TheExamplesAreThere()
    {
        Assert.That(Examples(), Is.SupersetOf(new[]
        {
            "mm1.yaml", "mm4.yaml", "md1.yaml", "ps-cpu.yaml", "erlang-b.yaml",
            "image-transfer.yaml", "hypervisors.yaml", "consolidation-dedicated.yaml", "consolidation-packed.yaml", "bake-vs-provision.yaml",
            "container-layers.yaml", "container-scale-out.yaml", "containers-vs-vms.yaml", "pod-ipc.yaml",
            "faas-analytic.yaml", "faas-keep-alive.yaml", "faas-limits.yaml", "faas-chain.yaml", "faas-trace.yaml", "faas-hybrid.yaml", "faas-engines.yaml",
        }));
    }
}
