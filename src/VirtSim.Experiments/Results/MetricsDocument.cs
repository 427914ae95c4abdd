using System.Globalization;
using System.Text;
using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

/// <summary>The metric catalogue and the comparison rows as Markdown: what <c>docs/metrics.md</c> holds.</summary>
public static class MetricsDocument
{
    /// <summary>The document's text.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Metrics");
        text.AppendLine();
        text.AppendLine("Every metric VirtSim measures and every row of a comparison, as `virtsim metrics` prints them.");
        text.AppendLine("This file is generated from `MetricCatalogue` and `ComparisonMeasures` (a test keeps them equal);");
        text.AppendLine("`<service>.` and the like stand for the name of the service, batch, VM group, pod group or function.");
        text.AppendLine();
        text.AppendLine("## Metrics of a run (`summary.json`, `replications.csv`)");
        text.AppendLine();
        text.AppendLine("| Metric | Of | Unit | Better | Meaning |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var metric in MetricCatalogue.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{metric.Pattern}` | {Subject(metric.Subject)} | {metric.Unit} | {Direction(metric.Better)} | {metric.Description} |");
        }
        text.AppendLine();
        text.AppendLine("## Rows of a comparison (`comparison.md`, `comparison.csv`)");
        text.AppendLine();
        text.AppendLine("| Row | Unit | Better | Meaning |");
        text.AppendLine("|---|---|---|---|");
        foreach (var measure in ComparisonRunner.Rows.Concat(ComparisonRunner.JobRows))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure.Name} | {measure.Unit} | {Direction(measure.Better)} | {measure.Description} |");
        }
        return text.ToString();
    }

    /// <summary>What a metric describes, in a word or two.</summary>
    public static string Subject(MetricSubject subject) => subject switch
    {
        MetricSubject.Run => "run",
        MetricSubject.Station => "station",
        MetricSubject.Service => "service",
        MetricSubject.Batch => "batch",
        MetricSubject.VmGroup => "VM group",
        MetricSubject.PodGroup => "pod group",
        _ => "function",
    };

    /// <summary>Which way is better, in a word.</summary>
    public static string Direction(Better better) => better.ToString().ToLowerInvariant();
}
