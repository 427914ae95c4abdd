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
