using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;

namespace VirtSim.Tests.Experiments;

/// <summary>Names that become cells and file names in the results: a table keeps its columns, and no plot overwrites another.</summary>
public class ResultNamesTests
{
    [Test]
    public void ABarInADeploymentNameDoesNotSplitTheMarkdownTable()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 60, warmup: 0);
        comparison = comparison with { Deployments = [.. comparison.Deployments.Select((d, i) => (i == 0 ? "vms|a" : d.Name, d.Kind, d.Scenario))] };
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 2));
        var table = ComparisonWriter.Markdown(result).Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.That(table[0], Does.Contain(@" vms\|a (VMs) |"));
        // Every row has as many cells as the header: a '|' not escaped would add one.
        int Cells(string line) => line.Replace(@"\|", "", StringComparison.Ordinal).Count(c => c == '|');
        Assert.That(table.Select(Cells).Distinct(), Is.EqualTo(new[] { Cells(table[0]) }));
    }

    [Test]
    public void PlotsWhoseNamesCollideOrRunLongGetNamesOfTheirOwn()
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Assert.That(ParameterSweepWriter.PlotFileName("sweep-p99-vs-functions_a__memory", used), Is.EqualTo("sweep-p99-vs-functions_a__memory"));
        Assert.That(ParameterSweepWriter.PlotFileName("sweep-p99-vs-functions_a__memory", used), Is.EqualTo("sweep-p99-vs-functions_a__memory-2"));
        string longA = "sweep-" + new string('a', 300) + "-vs-x";
        string longB = "sweep-" + new string('a', 300) + "-vs-y";
        string a = ParameterSweepWriter.PlotFileName(longA, used);
        string b = ParameterSweepWriter.PlotFileName(longB, used);
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(a + ".png"), Is.LessThanOrEqualTo(124));
        Assert.That(a, Is.Not.EqualTo(b), "two long names stay apart by their digests");
        Assert.That(ParameterSweepWriter.PlotFileName(longA, [.. used]), Is.EqualTo(a + "-2"), "the same long name twice is numbered like a short one");
    }
}
