using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;

namespace VirtSim.Tests.Experiments;

public class MetricCatalogueTests
{
    [Test]
    public void NoTwoMetricsOfOneSubjectShareAName()
    {
        Assert.That(MetricCatalogue.All.GroupBy(m => (m.Subject, m.Name)).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty);
        Assert.That(MetricCatalogue.All, Has.Count.GreaterThan(70));
        Assert.That(MetricCatalogue.All.Select(m => m.Description), Has.All.Not.Empty);
    }

    [Test]
    public void DocsMetricsIsGeneratedFromTheCatalogue()
    {
        string path = Path.Combine(Repository.Root, "docs", "metrics.md");
        Assert.That(File.ReadAllText(path).ReplaceLineEndings(), Is.EqualTo(MetricsDocument.Markdown().ReplaceLineEndings()),
            "regenerate docs/metrics.md from MetricsDocument.Markdown() (see its test)");
    }

    [Test]
    public void EveryMetricTheReadmeNamesIsInTheCatalogue()
    {
        // Backticked names in the README that read as metrics (ending as measures do), with
        // "<name>." prefixes dropped and "a_mean/p50/p99" spelled out: a renamed metric left in
        // the prose fails here.
        var declared = MetricCatalogue.All.Select(m => m.Name).ToHashSet();
        var named = new List<string>();
        foreach (System.Text.RegularExpressions.Match token in System.Text.RegularExpressions.Regex.Matches(
                     File.ReadAllText(Path.Combine(Repository.Root, "README.md")), "`(?:<name>\\.)?([a-z][a-z0-9_]*(?:/[a-z0-9_]+)*)(?:\\[[a-z]+\\])?`"))
        {
            var parts = token.Groups[1].Value.Split('/');
            string stem = parts[0][..(parts[0].LastIndexOf('_') + 1)];
            named.Add(parts[0]);
            named.AddRange(parts.Skip(1).Select(p => stem + p));
        }
        var metricLike = named.Where(n => System.Text.RegularExpressions.Regex.IsMatch(n,
            "_(mean|ratio|p50|p95|p99|pulled|started|utilization|rejected|crashes|running|per_hour|added|removed|used)$")).Distinct().ToList();
        Assert.That(metricLike, Has.Count.GreaterThan(25), "the README's metric lists were found");
        Assert.That(metricLike.Where(n => !declared.Contains(n)), Is.Empty);
    }

    [Test]
    public void TheMetricsCommandListsEveryMetricAndEveryComparisonRow()
    {
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(output),
        });
        console.Profile.Width = 400;
        Assert.That(VirtSim.Cli.VirtSimApp.Run(["metrics"], console, new StringWriter()), Is.Zero);
        foreach (var metric in MetricCatalogue.All)
        {
            Assert.That(output.ToString(), Does.Contain(metric.Pattern).And.Contain(metric.Description));
        }
        foreach (var row in ComparisonRunner.Rows.Concat(ComparisonRunner.JobRows))
        {
            Assert.That(output.ToString(), Does.Contain(row.Description));
        }
    }

    [Test]
    public void AComparisonReadingAMetricADeploymentDidNotMeasureFailsLoudly()
    {
        var measured = new Measured([new Measurement(MetricCatalogue.HostsUsed.Key, 3)], "vms");
        Assert.That(measured[MetricCatalogue.HostsUsed], Is.EqualTo(3));
        var e = Assert.Throws<InvalidOperationException>(() => _ = measured[MetricCatalogue.Energy]);
        Assert.That(e!.Message, Does.Contain("Deployment 'vms' did not measure energy"));
        Assert.That(measured.Optional(MetricCatalogue.LayerBytesPulled, 0), Is.Zero, "optional where a deployment has nothing it measures");
    }

    [Test]
    public void AMetricOfANamedSubjectNeedsItsName()
    {
        Assert.That(MetricCatalogue.ServiceResponseP99.Of("api").Name, Is.EqualTo("api.response_time_p99"));
        Assert.That(MetricCatalogue.HostsUsed.Key.Name, Is.EqualTo("hosts_used"));
        Assert.Throws<InvalidOperationException>(() => _ = MetricCatalogue.ServiceResponseP99.Key);
        Assert.Throws<InvalidOperationException>(() => MetricCatalogue.HostsUsed.Of("api"));
    }
}
