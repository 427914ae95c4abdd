using System.Text.RegularExpressions;
using CsvHelper;
using ScottPlot;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Writes a sweep's results: <c>sweep.csv</c>, tidy (a row per point and metric: the point's
/// values, the metric, its unit, mean and 95% interval), and for each chosen metric a plot
/// against each swept value (PNG and SVG), with its band.
/// </summary>
public static partial class ParameterSweepWriter
{
    /// <summary>The tidy results file.</summary>
    public const string CsvFile = "sweep.csv";

    /// <summary>Writes <paramref name="result"/> into a prepared <paramref name="folder"/>; returns the files' names.</summary>
    public static IReadOnlyList<string> Write(ParameterSweepResult result, OutputFolder folder, string scenarioText = "",
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        IReadOnlyList<string> written = [];
        folder.Commit(staging => written = WriteInto(result, staging, scenarioText), cancellation);
        return written;
    }

    private static List<string> WriteInto(ParameterSweepResult result, string staging, string scenarioText)
    {
        var written = new List<string> { CsvFile };
        using (var stream = File.Create(Path.Combine(staging, CsvFile)))
        {
            WriteCsv(result, stream);
        }
        var figures = WritePlots(Plots(result), staging, written);
        var scenario = result.Runs[0].Scenario;
        var names = result.Sweep.Metrics is { Count: > 0 } chosen ? chosen : [result.Runs[0].Summary[0].Name];
        var tables = names.Select(metric => (metric, (IReadOnlyList<string>)[.. result.Sweep.Parameters.Select(p => p.Path), "mean ± 95%", "unit"],
            (IReadOnlyList<IReadOnlyList<string>>)[.. Enumerable.Range(0, result.Points.Count).Select(p =>
            {
                var summary = result.Runs[p].Summary.Single(m => m.Name == metric);
                var cell = Readable.Format(summary.Interval, summary.Unit, summary.Name);
                return (IReadOnlyList<string>)[.. result.Points[p].Select(o => o.Value), cell.Text, cell.Unit];
            })])).ToList();
        File.WriteAllText(Path.Combine(staging, ComparisonReport.File),
            ComparisonReport.SweepHtml(scenario.Name, scenario.Description, result.Sweep, result.Points.Count, tables, figures, scenarioText));
        written.Add(ComparisonReport.File);
        return written;
    }

    /// <summary>Writes each plot as PNG and SVG into <paramref name="staging"/>, adds their names to <paramref name="written"/>; returns the figures for the report.</summary>
    private static List<(string Caption, byte[] Png)> WritePlots(IEnumerable<(string Name, Plot Plot)> plots, string staging, List<string> written)
    {
        var figures = new List<(string, byte[])>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (wanted, plot) in plots)
        {
            string name = PlotFileName(wanted, used);
            byte[] png = plot.GetImageBytes(900, 560, ImageFormat.Png);
            File.WriteAllBytes(Path.Combine(staging, name + ".png"), png);
            File.WriteAllText(Path.Combine(staging, name + ".svg"), ComparisonPlots.Svg(plot));
            written.Add(name + ".png");
            written.Add(name + ".svg");
            figures.Add((plot.Axes.Title.Label.Text, png));
        }
        return figures;
    }

    /// <summary>The longest plot file name before its extension: well within a file system's 255 bytes a name.</summary>
    private const int MaxPlotName = 120;

    /// <summary>
    /// <paramref name="wanted"/> as a file name no other plot of the sweep has: a long one is cut
    /// and keeps a digest of the whole (so two long names stay apart), and one that two plots
    /// would share (paths that differ only in characters a file name replaces) gets a number.
    /// </summary>
    internal static string PlotFileName(string wanted, HashSet<string> used)
    {
        string name = wanted;
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxPlotName)
        {
            string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(wanted)))[..8];
            name = $"{new string(name.Where(char.IsAscii).Take(MaxPlotName - 9).ToArray())}-{digest}";
        }
        string unique = name;
        for (int n = 2; !used.Add(unique); n++)
        {
            unique = $"{name}-{n}";
        }
        return unique;
    }

    /// <summary>The tidy CSV: a row per point and metric.</summary>
    public static void WriteCsv(ParameterSweepResult result, Stream stream)
    {
        using var csv = CsvWriter.Create(stream);
        csv.WriteHeader(["point", .. result.Sweep.Parameters.Select(p => p.Path), "metric", "unit", "mean", "ci95_low", "ci95_high", "replications"]);
        for (int p = 0; p < result.Points.Count; p++)
        {
            foreach (var metric in result.Runs[p].Summary)
            {
                csv.WriteField(p, "D");
                foreach (var value in result.Points[p])
                {
                    csv.WriteField(value.Value);
                }
                csv.WriteField(metric.Name);
                csv.WriteField(metric.Unit);
                csv.WriteNumberOrEmpty(metric.Interval.Mean);
                csv.WriteNumberOrEmpty(ResultWriter.ReachesBelowZero(metric.Interval) ? 0 : metric.Interval.Low);
                csv.WriteNumberOrEmpty(metric.Interval.High);
                csv.WriteField(metric.Interval.Count, "D");
                csv.EndRecord();
            }
        }
    }

    /// <summary>Writes a comparison sweep into a prepared <paramref name="folder"/>: <c>sweep.csv</c> (a row per point, measure and deployment) and the plots.</summary>
    public static IReadOnlyList<string> Write(ComparisonSweepResult result, OutputFolder folder, string scenarioText = "",
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        IReadOnlyList<string> written = [];
        folder.Commit(staging =>
        {
            var files = new List<string> { CsvFile };
            using (var stream = File.Create(Path.Combine(staging, CsvFile)))
            {
                WriteCsv(result, stream);
            }
            var figures = WritePlots(Plots(result), staging, files);
            var comparison = result.Results[0].Comparison;
            var measures = result.Sweep.Metrics is { Count: > 0 } chosen ? chosen : DefaultComparisonMeasures;
            var tables = measures.Select(measure =>
            {
                var rows = Enumerable.Range(0, result.Points.Count).Select(p => result.Results[p].Rows.Single(r => r.Metric == measure)).ToList();
                double largest = rows.SelectMany(r => r.Values).Select(v => Math.Abs(Readable.Magnitude(v))).DefaultIfEmpty(0).Max();
                var scale = Readable.Scale(rows[0].Unit, largest);
                IReadOnlyList<string> columns = [.. result.Sweep.Parameters.Select(p => p.Path), .. comparison.Deployments.Select(d => $"{d.Name} ({d.Kind})"), "unit"];
                IReadOnlyList<IReadOnlyList<string>> cells = [.. Enumerable.Range(0, result.Points.Count).Select(p =>
                    (IReadOnlyList<string>)[.. result.Points[p].Select(o => o.Value), .. rows[p].Values.Select(v => Readable.Format(v, scale, measure).Text), scale.Unit])];
                return (measure, columns, cells);
            }).ToList();
            File.WriteAllText(Path.Combine(staging, ComparisonReport.File),
                ComparisonReport.SweepHtml(comparison.Name, comparison.Description, result.Sweep, result.Points.Count, tables, figures, scenarioText));
            files.Add(ComparisonReport.File);
            written = files;
        }, cancellation);
        return written;
    }

    /// <summary>The tidy CSV of a comparison sweep: a row per point, measure and deployment.</summary>
    public static void WriteCsv(ComparisonSweepResult result, Stream stream)
    {
        using var csv = CsvWriter.Create(stream);
        csv.WriteHeader(["point", .. result.Sweep.Parameters.Select(p => p.Path), "measure", "unit", "deployment", "kind", "mean", "ci95_low", "ci95_high", "replications"]);
        for (int p = 0; p < result.Points.Count; p++)
        {
            var comparison = result.Results[p];
            foreach (var row in comparison.Rows)
            {
                for (int d = 0; d < row.Values.Count; d++)
                {
                    var (name, kind, _) = comparison.Comparison.Deployments[d];
                    var cell = row.Values[d];
                    csv.WriteField(p, "D");
                    foreach (var value in result.Points[p])
                    {
                        csv.WriteField(value.Value);
                    }
                    csv.WriteField(row.Metric);
                    csv.WriteField(row.Unit);
                    csv.WriteField(name);
                    csv.WriteField(kind);
                    csv.WriteNumberOrEmpty(cell.Mean);
                    csv.WriteNumberOrEmpty(ResultWriter.ReachesBelowZero(cell) ? 0 : cell.Low);
                    csv.WriteNumberOrEmpty(cell.High);
                    csv.WriteField(cell.Count, "D");
                    csv.EndRecord();
                }
            }
        }
    }

    /// <summary>The measures a comparison sweep plots when its file names none.</summary>
    public static IReadOnlyList<string> DefaultComparisonMeasures { get; } = ["latency p99", "cost per hour"];

    /// <summary>Each chosen measure against each swept value, one line (with its band) per deployment and combination of the other values (at most eight).</summary>
    public static IEnumerable<(string Name, Plot Plot)> Plots(ComparisonSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = result.Sweep.Metrics is { Count: > 0 } chosen ? chosen : DefaultComparisonMeasures;
        var deployments = result.Results[0].Comparison.Deployments;
        foreach (string measure in names)
        {
            for (int k = 0; k < result.Sweep.Parameters.Count; k++)
            {
                var series = new List<(string Legend, List<(double X, VirtSim.Kernel.Statistics.ConfidenceInterval Y)> Points)>();
                var axis = Axis(result.Sweep.Parameters[k]);
                var groups = Enumerable.Range(0, result.Points.Count).GroupBy(p => string.Join(", ", result.Points[p].Where((_, j) => j != k))).ToList();
                foreach (var group in groups)
                {
                    for (int d = 0; d < deployments.Count; d++)
                    {
                        string legend = group.Key.Length == 0 ? $"{deployments[d].Name} ({deployments[d].Kind})" : $"{deployments[d].Name}, {group.Key}";
                        var points = group.Select(p => (axis.X(result.Points[p][k].Value), result.Results[p].Rows.SingleOrDefault(r => r.Metric == measure)?.Values[d]))
                            .Where(q => q.Item2 is { } c && double.IsFinite(c.Mean)).Select(q => (q.Item1, q.Item2!.Value)).OrderBy(q => q.Item1).ToList();
                        if (points.Count > 0 && series.Count < 8)
                        {
                            series.Add((legend, points));
                        }
                    }
                }
                string unit = result.Results[0].Rows.SingleOrDefault(r => r.Metric == measure)?.Unit ?? "";
                yield return ($"sweep-{NotInName().Replace(measure, "_")}-vs-{NotInName().Replace(result.Sweep.Parameters[k].Path, "_").Trim('_')}",
                    Draw($"{measure} against {result.Sweep.Parameters[k].Path}", axis.Label, $"{measure} [{unit}]", series));
            }
        }
    }

    private static (Func<string, double> X, string Label) Axis(SweepParameter parameter)
    {
        var units = parameter.Values.Select(v => SweepParameter.TrySplit(v, out _, out string unit) ? unit : null).ToList();
        bool numeric = units.All(u => u is not null) && units.Distinct().Count() == 1;
        string unit = numeric ? units[0]! : "";
        return numeric
            ? (v => SweepParameter.TrySplit(v, out double number, out _) ? number : double.NaN,
                $"{parameter.Path} [{(unit.Length == 0 ? "number" : unit.StartsWith('/') ? "1" + unit : unit)}]")
            : (v => parameter.Values.ToList().IndexOf(v), $"{parameter.Path} ({string.Join(", ", parameter.Values)})");
    }

    private static Plot Draw(string title, string xLabel, string yLabel, List<(string Legend, List<(double X, VirtSim.Kernel.Statistics.ConfidenceInterval Y)> Points)> series)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        MarkerShape[] markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
        double top = 0;
        for (int l = 0; l < series.Count; l++)
        {
            var (legend, points) = series[l];
            double[] x = [.. points.Select(q => q.X)];
            var color = palette.GetColor(l);
            if (points.All(q => double.IsFinite(q.Y.HalfWidth)))
            {
                var band = plot.Add.FillY(x, [.. points.Select(q => Math.Max(0, q.Y.Low))], [.. points.Select(q => q.Y.High)]);
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
                top = Math.Max(top, points.Max(q => q.Y.High));
            }
            var line = plot.Add.Scatter(x, [.. points.Select(q => q.Y.Mean)]);
            line.Color = color;
            line.MarkerShape = markers[l % markers.Length];
            line.LinePattern = patterns[l % patterns.Length];
            line.MarkerSize = points.Count > 60 ? 0 : 7;
            line.LineWidth = 2;
            line.LegendText = legend;
            top = Math.Max(top, points.Max(q => q.Y.Mean));
        }
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.1 : 1);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    [GeneratedRegex("[^A-Za-z0-9_]+")]
    private static partial Regex NotInName();

    /// <summary>
    /// A plot of each chosen metric against each swept value: the value's number on the x axis
    /// (its unit in the label), one line per combination of the other parameters' values (at most
    /// eight), each with its 95% band. Named <c>sweep-METRIC-vs-PATH</c>.
    /// </summary>
    public static IEnumerable<(string Name, Plot Plot)> Plots(ParameterSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = result.Sweep.Metrics is { Count: > 0 } chosen ? chosen : [result.Runs[0].Summary[0].Name];
        foreach (string metricName in names)
        {
            string unit = result.Runs[0].Summary.SingleOrDefault(m => m.Name == metricName)?.Unit ?? "";
            for (int k = 0; k < result.Sweep.Parameters.Count; k++)
            {
                var axis = Axis(result.Sweep.Parameters[k]);
                var series = new List<(string Legend, List<(double X, VirtSim.Kernel.Statistics.ConfidenceInterval Y)> Points)>();
                foreach (var group in Enumerable.Range(0, result.Points.Count).GroupBy(p => string.Join(", ", result.Points[p].Where((_, j) => j != k))).Take(8))
                {
                    var points = group.Select(p => (axis.X(result.Points[p][k].Value), result.Runs[p].Summary.SingleOrDefault(m => m.Name == metricName)?.Interval))
                        .Where(q => q.Item2 is { } c && double.IsFinite(c.Mean)).Select(q => (q.Item1, q.Item2!.Value)).OrderBy(q => q.Item1).ToList();
                    if (points.Count > 0)
                    {
                        series.Add((group.Key.Length == 0 ? metricName : group.Key, points));
                    }
                }
                yield return ($"sweep-{NotInName().Replace(metricName, "_")}-vs-{NotInName().Replace(result.Sweep.Parameters[k].Path, "_").Trim('_')}",
                    Draw($"{metricName} against {result.Sweep.Parameters[k].Path}", axis.Label, $"{metricName} [{unit}]", series));
            }
        }
    }
}
