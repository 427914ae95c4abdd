using VirtSim.Experiments.Scenarios;
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

    /// <summary>The SVG beside a plot's PNG: the same name ending in <c>.svg</c>.</summary>
    public static string SvgOf(string png) => Path.ChangeExtension(png, ".svg");

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
            var latencyPlot = ComparisonPlots.LatencyAgainstLoad(sweep);
            var costPlot = ComparisonPlots.CostAgainstLoad(sweep);
            byte[] latency = ComparisonPlots.Png(latencyPlot);
            byte[] cost = ComparisonPlots.Png(costPlot);
            File.WriteAllBytes(Path.Combine(staging, LatencyPlotFile), latency);
            File.WriteAllText(Path.Combine(staging, SvgOf(LatencyPlotFile)), ComparisonPlots.Svg(latencyPlot));
            File.WriteAllBytes(Path.Combine(staging, CostPlotFile), cost);
            File.WriteAllText(Path.Combine(staging, SvgOf(CostPlotFile)), ComparisonPlots.Svg(costPlot));
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
            text.AppendLine(CultureInfo.InvariantCulture, $"- {c.Describe()}.");
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
                text.Append(CultureInfo.InvariantCulture, $" {PathNames.InCell(name)} ({kind}) |");
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

    /// <summary>The files a comparison writes beside its deployments' folders: no deployment may be named like one.</summary>
    public static IReadOnlyList<string> OwnFiles { get; } =
    [
        MarkdownFile, CsvFile, SweepCsvFile, ComparisonReport.File, OutputFolder.MarkerFile,
        .. new[] { LatencyPlotFile, StartupPlotFile, InstancesPlotFile, CostPlotFile }.SelectMany(png => new[] { png, SvgOf(png) }),
    ];

    /// <summary>What is wrong with <paramref name="name"/> as a deployment's folder, or null when nothing is.</summary>
    public static string? NameProblem(string name) =>
        PathNames.Problem(name)
        ?? (OwnFiles.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? $"'{name}' is the name of a file compare writes beside the deployments' folders ({string.Join(", ", OwnFiles)}); choose another name"
            : null);

    /// <summary>
    /// Refuses, at its line and column in <paramref name="file"/>, a deployment whose name
    /// <see cref="NameProblem"/> refuses: found when the file is read, not when the results are
    /// written after every replication has run.
    /// </summary>
    public static void CheckNames(string file, string text, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        for (int i = 0; i < comparison.Deployments.Count; i++)
        {
            if (NameProblem(comparison.Deployments[i].Name) is { } problem)
            {
                var root = YamlSection.LoadRoot(file, text);
                throw root.Locate($"compare[{i}].name").Error(problem);
            }
        }
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
            if (NameProblem(name) is { } problem)
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
                File.WriteAllText(Path.Combine(staging, SvgOf(StartupPlotFile)), ComparisonPlots.Svg(startup));
                plots.Add(("Start-up timeline: VM phases, pod layer pulls and function cold starts (first replication)", png));
            }
            if (ComparisonPlots.InstancesOverTime(result) is { } instances)
            {
                byte[] png = ComparisonPlots.Png(instances);
                File.WriteAllBytes(Path.Combine(staging, InstancesPlotFile), png);
                File.WriteAllText(Path.Combine(staging, SvgOf(InstancesPlotFile)), ComparisonPlots.Svg(instances));
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
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        text.Append("| Measure | Unit |");
        foreach (var (name, kind, _) in comparison.Deployments)
        {
            text.Append(CultureInfo.InvariantCulture, $" {PathNames.InCell(name)} ({kind}) |");
        }
        text.AppendLine();
        text.Append("|---|---|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---:|", comparison.Deployments.Count)));
        foreach (var row in result.Rows)
        {
            var cells = ReadableRow(row, notes);
            text.Append(CultureInfo.InvariantCulture, $"| {PathNames.InCell(row.Metric)} | {cells.Unit} |");
            foreach (string cell in cells.Texts)
            {
                text.Append(CultureInfo.InvariantCulture, $" {cell} |");
            }
            text.AppendLine();
        }
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (string note in notes)
            {
                text.AppendLine(note);
            }
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

    /// <summary>
    /// A comparison row for reading: one unit for the whole row (chosen by its largest value), each
    /// cell mean ± half-width with the digits its interval supports and its marks; notes for the marks.
    /// </summary>
    public static (string Unit, IReadOnlyList<string> Texts) ReadableRow(ComparisonRow row, ISet<string> notes)
    {
        double largest = row.Values.Select(v => Math.Abs(Readable.Magnitude(v))).DefaultIfEmpty(0).Max();
        var scale = Readable.Scale(row.Unit, largest);
        var texts = row.Values.Select(value =>
        {
            var cell = Readable.Format(value, scale, row.Metric);
            return cell.Text + ResultWriter.Marks(value, cell, notes);
        }).ToList();
        return (scale.Unit, texts);
    }

    /// <summary>A cell: mean ± half-width, or n/a when the deployment has no such measure.</summary>
    public static string Cell(VirtSim.Kernel.Statistics.ConfidenceInterval cell) =>
        !double.IsFinite(cell.Mean) ? "n/a"
        : double.IsFinite(cell.HalfWidth) ? $"{Number(cell.Mean)} ± {Number(cell.HalfWidth)}{(ResultWriter.ReachesBelowZero(cell) ? " †" : "")}"
        : Number(cell.Mean);

    private static string Number(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static void WriteCsv(ComparisonResult result, string path)
    {
        using var stream = File.Create(path);
        WriteCsv(result, stream);
    }

    /// <summary>The comparison's rows as JSON, SI units (for <c>--format json</c>): per measure, per deployment, the mean and 95% interval.</summary>
    public static void WriteJson(ComparisonResult result, Stream stream)
    {
        using var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("comparison", result.Comparison.Name);
        json.WriteNumber("replications", result.Runs[0].Replications.Count);
        json.WriteNumber("seed", result.Runs[0].Scenario.Seed);
        json.WriteNumber("confidence_level", 0.95);
        json.WriteString("virtsim_version", VirtSimVersion.Version);
        json.WriteStartArray("deployments");
        foreach (var (name, kind, _) in result.Comparison.Deployments)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("kind", kind.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var row in result.Rows)
        {
            json.WriteStartObject();
            json.WriteString("measure", row.Metric);
            json.WriteString("unit", row.Unit);
            json.WriteStartObject("values");
            for (int d = 0; d < row.Values.Count; d++)
            {
                var cell = row.Values[d];
                json.WriteStartObject(result.Comparison.Deployments[d].Name);
                foreach (var (key, x) in new[] { ("mean", cell.Mean), ("ci95_low", ResultWriter.ReachesBelowZero(cell) ? 0 : cell.Low), ("ci95_high", cell.High) })
                {
                    if (double.IsFinite(x))
                    {
                        json.WriteNumber(key, x);
                    }
                    else
                    {
                        json.WriteNull(key);
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>What <c>comparison.csv</c> holds, into <paramref name="stream"/> (for <c>--format csv</c>).</summary>
    public static void WriteCsv(ComparisonResult result, Stream stream)
    {
        using var csv = CsvWriter.Create(stream);
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
