using System.Globalization;
using System.Text;
using CsvHelper;
using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Writes a comparison: <c>comparison.md</c> (the table, ready to paste into an architecture
/// decision record), <c>comparison.csv</c> (one row per measure and deployment) and each
/// deployment's own results in a folder of its name; all of it at once, or nothing.
/// </summary>
public static class ComparisonWriter
{
    /// <summary>The Markdown table's file name.</summary>
    public const string MarkdownFile = "comparison.md";

    /// <summary>The CSV's file name.</summary>
    public const string CsvFile = "comparison.csv";

    /// <summary>The sweep's CSV file name.</summary>
    public const string SweepCsvFile = "sweep.csv";

    /// <summary>The latency plot's file name.</summary>
    public const string LatencyPlotFile = "latency-vs-load.png";

    /// <summary>The start-up timeline's file name.</summary>
    public const string StartupPlotFile = "startup-timeline.png";

    /// <summary>The instances-over-time plot's file name.</summary>
    public const string InstancesPlotFile = "instances-over-time.png";

    /// <summary>The cost plot's file name.</summary>
    public const string CostPlotFile = "cost-vs-load.png";

    /// <summary>
    /// Writes a sweep into <paramref name="directory"/>: its Markdown, CSV, plots and report
    /// (which shows <paramref name="scenarioText"/>, the file it came from); all at once, or nothing.
    /// </summary>
    public static void Write(SweepResult sweep, IReadOnlyList<Crossover> crossovers, string directory, string scenarioText)
    {
        using var folder = OutputFolder.Prepare(directory);
        Write(sweep, crossovers, folder, scenarioText);
    }

    /// <summary>Writes a sweep into a prepared <paramref name="folder"/>, as <see cref="Write(SweepResult, IReadOnlyList{Crossover}, string, string)"/> does.</summary>
    public static void Write(SweepResult sweep, IReadOnlyList<Crossover> crossovers, OutputFolder folder, string scenarioText,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(folder);
        folder.Commit(staging =>
        {
            File.WriteAllText(Path.Combine(staging, MarkdownFile), SweepMarkdown(sweep, crossovers));
            using (var csv = CsvWriter.ToFile(Path.Combine(staging, SweepCsvFile)))
            {
                csv.WriteHeader(["rate[1/s]", "measure", "unit", "deployment", "kind", "mean", "ci95_low", "ci95_high"]);
                for (int p = 0; p < sweep.Points.Count; p++)
                {
                    foreach (var row in sweep.Points[p].Rows)
                    {
                        for (int d = 0; d < row.Values.Count; d++)
                        {
                            var (name, kind, _) = sweep.Comparison.Deployments[d];
                            csv.WriteField(sweep.Rates[p], "R");
                            csv.WriteField(row.Metric);
                            csv.WriteField(row.Unit);
                            csv.WriteField(name);
                            csv.WriteField(kind);
                            foreach (double x in new[] { row.Values[d].Mean, row.Values[d].Low, row.Values[d].High })
                            {
                                csv.WriteNumberOrEmpty(x);
                            }
                            csv.EndRecord();
                        }
                    }
                }
            }
            byte[] latency = ComparisonPlots.Png(ComparisonPlots.LatencyAgainstLoad(sweep));
            byte[] cost = ComparisonPlots.Png(ComparisonPlots.CostAgainstLoad(sweep));
            File.WriteAllBytes(Path.Combine(staging, LatencyPlotFile), latency);
            File.WriteAllBytes(Path.Combine(staging, CostPlotFile), cost);
            File.WriteAllText(Path.Combine(staging, ComparisonReport.File),
                ComparisonReport.Html(sweep, crossovers, [("Latency percentiles against load", latency), ("Cost per hour against load", cost)], scenarioText));
        }, cancellation);
    }

    /// <summary>The sweep as Markdown: the crossovers, then each crossover measure by rate.</summary>
    public static string SweepMarkdown(SweepResult sweep, IReadOnlyList<Crossover> crossovers)
    {
        var comparison = sweep.Comparison;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {comparison.Name}: load sweep");
        text.AppendLine();
        if (comparison.Description.Length > 0)
        {
            text.AppendLine(comparison.Description);
            text.AppendLine();
        }
        text.AppendLine("## Crossovers");
        text.AppendLine();
        if (crossovers.Count == 0)
        {
            text.AppendLine("None within the rates swept: the order of the deployments does not change.");
        }
        foreach (var c in crossovers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {c.Measure}: {c.Lower} is lower below {Number(c.Rate)} requests/s, {c.Higher} above.");
        }
        text.AppendLine();
        text.AppendLine("## Where latency breaks");
        text.AppendLine();
        foreach (var b in SweepRunner.LatencyBreaks(sweep))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {b.Describe()}.");
        }
        foreach (var measure in SweepRunner.CrossoverMeasures)
        {
            var unit = sweep.Points[0].Row(measure).Unit;
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {measure} [{unit}] by arrival rate");
            text.AppendLine();
            text.Append("| Rate [1/s] |");
            foreach (var (name, kind, _) in comparison.Deployments)
            {
                text.Append(CultureInfo.InvariantCulture, $" {name} ({kind}) |");
            }
            text.AppendLine();
            text.Append("|---:|");
            text.AppendLine(string.Concat(Enumerable.Repeat("---:|", comparison.Deployments.Count)));
            for (int p = 0; p < sweep.Points.Count; p++)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Number(sweep.Rates[p])} |");
                foreach (var cell in sweep.Points[p].Row(measure).Values)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {Cell(cell)} |");
                }
                text.AppendLine();
            }
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"![latency against load]({LatencyPlotFile})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"![cost against load]({CostPlotFile})");
        return text.ToString();
    }

    /// <summary>
    /// Writes <paramref name="result"/> into <paramref name="directory"/>, replacing what was
    /// there; the report shows <paramref name="scenarioText"/>, the file it came from.
    /// </summary>
    public static void Write(ComparisonResult result, string directory, string scenarioText)
    {
        using var folder = OutputFolder.Prepare(directory);
        Write(result, folder, scenarioText);
    }

    /// <summary>Writes a comparison into a prepared <paramref name="folder"/>, as <see cref="Write(ComparisonResult, string, string)"/> does.</summary>
    public static void Write(ComparisonResult result, OutputFolder folder, string scenarioText, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        // Each deployment becomes a folder: a name built in C# is held to the rule a file's names are.
        foreach (var (name, _, _) in result.Comparison.Deployments)
        {
            if (PathNames.Problem(name) is { } problem)
            {
                throw new ArgumentException($"Deployment name '{name}': {problem}.", nameof(result));
            }
        }
        folder.Commit(staging =>
        {
            File.WriteAllText(Path.Combine(staging, MarkdownFile), Markdown(result));
            var plots = new List<(string, byte[])>();
            if (ComparisonPlots.StartupTimeline(result) is { } startup)
            {
                byte[] png = ComparisonPlots.Png(startup);
                File.WriteAllBytes(Path.Combine(staging, StartupPlotFile), png);
                plots.Add(("Start-up timeline: VM phases, pod layer pulls and function cold starts (first replication)", png));
            }
            if (ComparisonPlots.InstancesOverTime(result) is { } instances)
            {
                byte[] png = ComparisonPlots.Png(instances);
                File.WriteAllBytes(Path.Combine(staging, InstancesPlotFile), png);
                plots.Add(("Instances over time (first replication)", png));
            }
            File.WriteAllText(Path.Combine(staging, ComparisonReport.File), ComparisonReport.Html(result, plots, scenarioText));
            WriteCsv(result, Path.Combine(staging, CsvFile));
            for (int d = 0; d < result.Runs.Count; d++)
            {
                string deployment = Path.Combine(staging, result.Comparison.Deployments[d].Name);
                Directory.CreateDirectory(deployment);
                ResultWriter.WriteInto(result.Runs[d], deployment);
            }
        }, cancellation);
    }

    /// <summary>The comparison as a Markdown table, each cell a mean ± the half-width of its 95% interval.</summary>
    public static string Markdown(ComparisonResult result)
    {
        var comparison = result.Comparison;
        var first = result.Runs[0].Scenario;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {comparison.Name}");
        text.AppendLine();
        if (comparison.Description.Length > 0)
        {
            text.AppendLine(comparison.Description);
            text.AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{result.Runs[0].Replications.Count} replications with seed {first.Seed}, {first.Duration / 3600:G4} h measured after {first.Warmup / 60:G4} min of warm-up; every deployment sees the same arrivals. Cells: mean ± half-width of the 95% confidence interval.");
        text.AppendLine();
        text.Append("| Measure | Unit |");
        foreach (var (name, kind, _) in comparison.Deployments)
        {
            text.Append(CultureInfo.InvariantCulture, $" {name} ({kind}) |");
        }
        text.AppendLine();
        text.Append("|---|---|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---:|", comparison.Deployments.Count)));
        foreach (var row in result.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Metric} | {row.Unit} |");
            foreach (var cell in row.Values)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Cell(cell)} |");
            }
            text.AppendLine();
        }
        if (result.Rows.Any(r => r.Values.Any(ResultWriter.ReachesBelowZero)))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"† {ResultWriter.BelowZeroNote}.");
        }
        for (int d = 0; d < result.Runs.Count; d++)
        {
            foreach (string warning in result.Runs[d].Warnings)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture, $"Warning, {comparison.Deployments[d].Name}: {warning}.");
            }
        }
        return text.ToString();
    }

    /// <summary>A cell: mean ± half-width, or n/a when the deployment has no such measure.</summary>
    public static string Cell(VirtSim.Kernel.Statistics.ConfidenceInterval cell) =>
        !double.IsFinite(cell.Mean) ? "n/a"
        : double.IsFinite(cell.HalfWidth) ? $"{Number(cell.Mean)} ± {Number(cell.HalfWidth)}{(ResultWriter.ReachesBelowZero(cell) ? " †" : "")}"
        : Number(cell.Mean);

    private static string Number(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static void WriteCsv(ComparisonResult result, string path)
    {
        using var csv = CsvWriter.ToFile(path);
        csv.WriteHeader(["measure", "unit", "deployment", "kind", "mean", "ci95_low", "ci95_high", "replications"]);
        foreach (var row in result.Rows)
        {
            for (int d = 0; d < row.Values.Count; d++)
            {
                var (name, kind, _) = result.Comparison.Deployments[d];
                var cell = row.Values[d];
                csv.WriteField(row.Metric);
                csv.WriteField(row.Unit);
                csv.WriteField(name);
                csv.WriteField(kind);
                foreach (double x in new[] { cell.Mean, cell.Low, cell.High })
                {
                    csv.WriteNumberOrEmpty(x);
                }
                csv.WriteField(cell.Count, "D");
                csv.EndRecord();
            }
        }
    }
}
