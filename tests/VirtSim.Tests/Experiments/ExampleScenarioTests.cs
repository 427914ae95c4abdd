using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class ExampleScenarioTests
{
    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Repository.Examples, "*.yaml").Order(StringComparer.Ordinal).Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Examples))]
    public void EveryExampleLoadsAndRuns(string file)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, file));
        var result = ExperimentRunner.Run(scenario, new RunOptions(Replications: 2));
        Assert.That(result.Summary.Single(m => m.Name == "customers_served").Interval.Mean, Is.GreaterThan(100));
    }

    [Test]
    public void TheExamplesAreThere()
    {
        Assert.That(Examples(), Is.SupersetOf(new[] { "mm1.yaml", "mm4.yaml", "md1.yaml", "ps-cpu.yaml", "erlang-b.yaml" }));
    }
}
