using ScottPlot;
using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

// The plots of a load sweep: each deployment a line with markers and its 95% band, axes from zero,
// crossovers and breaking points drawn where they are and labelled.
public static partial class ComparisonPlots
{
    /// <summary>The latency percentiles, one panel each in <see cref="LatencyAgainstLoad"/>.</summary>
    public static IReadOnlyList<(ComparisonMeasure Measure, string Label)> LatencyPercentiles { get; } =
        [(ComparisonMeasures.LatencyP50, "median (p50)"), (ComparisonMeasures.LatencyP95, "95th percentile (p95)"), (ComparisonMeasures.LatencyP99, "99th percentile (p99)")];

    /// <summary>Marker shapes by deployment, so that lines that coincide stay told apart.</summary>
    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp,
        MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare];

    /// <summary>Line patterns by deployment, for the same reason.</summary>
    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>
    /// Latency against load in three panels, one per percentile (their scales differ too much to
    /// share an axis): each deployment's line with its 95% band; in the p99 panel, where each
    /// deployment's latency breaks (reaches <see cref="SweepRunner.BreakFactor"/> × its light-load
    /// p99) and the p99 crossovers.
    /// </summary>
    public static Multiplot LatencyAgainstLoad(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var crossovers = SweepRunner.Crossovers(sweep);
        var plots = new List<Plot>();
        foreach (var (measure, label) in LatencyPercentiles)
        {
            var plot = new Plot();
            string unit = Lines(plot, sweep, measure, out double factor);
            plot.Title($"Latency, {label}: {sweep.Comparison.Name}");
            plot.XLabel("Arrival rate [requests/s]");
            plot.YLabel($"Response time [{unit}]");
            if (measure == ComparisonMeasures.LatencyP99)
            {
                Breaks(plot, sweep, factor);
                Crossings(plot, sweep, crossovers.Where(c => c.Measure == measure.Name));
            }
            plot.ShowLegend(Edge.Right);
            plots.Add(plot);
        }
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1))
        {
            multiplot.AddPlot(plot);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        return multiplot;
    }

    /// <summary>The cost per hour of each deployment against the arrival rate, with its 95% band and the cost crossovers.</summary>
    public static Plot CostAgainstLoad(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var plot = new Plot();
        var measure = ComparisonMeasures.CostPerHour;
        string unit = Lines(plot, sweep, measure, out _);
        Crossings(plot, sweep, SweepRunner.Crossovers(sweep).Where(c => c.Measure == measure.Name));
        plot.Title($"Cost against load: {sweep.Comparison.Name}");
        plot.XLabel("Arrival rate [requests/s]");
        plot.YLabel($"Cost [{unit}]");
        plot.ShowLegend();
        return plot;
    }

    /// <summary>
    /// One line per deployment (colour, marker and pattern of its own) and its 95% band, in a unit
    /// that suits the largest value; the y axis from zero. Returns the unit; <paramref name="factor"/>
    /// converts SI values to it.
    /// </summary>
    private static string Lines(Plot plot, SweepResult sweep, ComparisonMeasure measure, out double factor)
    {
        var palette = new ScottPlot.Palettes.Category10();
        double[] rates = [.. sweep.Rates];
        var intervals = Enumerable.Range(0, sweep.Comparison.Deployments.Count).Select(d => sweep.Intervals(measure, d)).ToList();
        double largest = intervals.SelectMany(i => i).Select(i => double.IsFinite(i.High) ? i.High : i.Mean).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var (unit, scale) = Readable.Scale(measure.Unit, largest);
        factor = scale;
        double top = 0;
        for (int d = 0; d < intervals.Count; d++)
        {
            var (name, kind, _) = sweep.Comparison.Deployments[d];
            var color = palette.GetColor(d);
            var points = Enumerable.Range(0, rates.Length).Where(i => double.IsFinite(intervals[d][i].Mean)).ToList();
            if (points.Count == 0)
            {
                continue;
            }
            double[] x = [.. points.Select(i => rates[i])];
            double[] mean = [.. points.Select(i => intervals[d][i].Mean * scale)];
            if (points.All(i => double.IsFinite(intervals[d][i].HalfWidth)))
            {
                double[] low = [.. points.Select(i => Math.Max(0, intervals[d][i].Low) * scale)];
                double[] high = [.. points.Select(i => intervals[d][i].High * scale)];
                var band = plot.Add.FillY(x, low, high);
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
                band.LegendText = "";
                top = Math.Max(top, high.Max());
            }
            var line = plot.Add.Scatter(x, mean);
            line.Color = color;
            line.MarkerShape = Markers[d % Markers.Length];
            line.MarkerSize = 7;
            line.LinePattern = Patterns[d % Patterns.Length];
            line.LineWidth = 2;
            line.LegendText = $"{name} ({kind})";
            top = Math.Max(top, mean.Max());
        }
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.1 : 1);
        return unit;
    }

    /// <summary>
    /// A vertical line at each crossover, labelled inside the plot with who is lower on which side
    /// ("not significant" where the intervals do not tell them apart); crossings at one rate share a label.
    /// </summary>
    private static void Crossings(Plot plot, SweepResult sweep, IEnumerable<Crossover> crossovers)
    {
        var limits = plot.Axes.GetLimits();
        double middle = (sweep.Rates[0] + sweep.Rates[^1]) / 2;
        foreach (var group in crossovers.GroupBy(c => (c.Lower, Rate: Math.Round(c.Rate, 6), c.Significant)))
        {
            var c = group.First();
            var line = plot.Add.VerticalLine(c.Rate);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LineWidth = 1.5f;
            line.LegendText = "";
            string higher = string.Join(", ", group.Select(g => g.Higher));
            string words = FormattableString.Invariant(
                $"{c.Lower} lower below {c.Rate:G3}/s, {higher} above{(c.Significant ? "" : " (not significant)")}");
            var text = plot.Add.Text(words, c.Rate, limits.Top);
            text.LabelFontSize = 11;
            text.LabelAlignment = c.Rate > middle ? Alignment.UpperRight : Alignment.UpperLeft;
            text.LabelOffsetX = c.Rate > middle ? -4 : 4;
            text.LabelOffsetY = 4;
        }
    }

    /// <summary>A marker where each deployment's p99 breaks, labelled.</summary>
    private static void Breaks(Plot plot, SweepResult sweep, double factor)
    {
        int drawn = 0;
        foreach (var b in SweepRunner.LatencyBreaks(sweep))
        {
            if (b.Rate is not { } rate)
            {
                continue;
            }
            double y = SweepRunner.BreakFactor * b.LightLoadP99 * factor;
            var marker = plot.Add.Marker(rate, y, MarkerShape.OpenCircle, 14);
            marker.Color = Colors.Black;
            marker.LegendText = "";
            var text = plot.Add.Text(FormattableString.Invariant($"{b.Deployment} breaks near {rate:G3}/s (p99 2× light load)"), rate, y);
            text.LabelFontSize = 11;
            // Labels near the right edge go to the left of their point, so they are not cut.
            bool right = rate > (sweep.Rates[0] + sweep.Rates[^1]) / 2;
            text.LabelAlignment = right ? Alignment.LowerRight : Alignment.LowerLeft;
            text.LabelOffsetX = right ? -8 : 8;
            // Stacked upwards, one line per deployment, so that labels of nearby breaks do not overlap.
            text.LabelOffsetY = -6 - 16 * drawn++;
        }
    }

    /// <summary>Saves a multi-panel plot as a PNG, 900 pixels wide and 360 per panel.</summary>
    public static byte[] Png(Multiplot multiplot)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        return multiplot.Render(900, 360 * multiplot.Count()).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>A multi-panel plot as SVG, the same size as its PNG.</summary>
    public static string Svg(Multiplot multiplot)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        int width = 900, height = 360 * multiplot.Count();
        using var solid = new SolidLines(multiplot.Subplots.GetPlots());
        using var stream = new MemoryStream();
        using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), stream))
        {
            multiplot.Render(canvas, new PixelRect(0, width, height, 0));
        }
        return Renumbered(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary><paramref name="plot"/> as SVG, the same size as its PNG.</summary>
    public static string Svg(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        using var solid = new SolidLines([plot]);
        return Renumbered(plot.GetSvgXml(900, 560));
    }

    /// <summary>
    /// Skia's SVG canvas cannot draw dashes (it says "Unsupported path effect" on standard error and
    /// draws them solid): lines are drawn solid for the SVG, on purpose and quietly, and their
    /// patterns restored afterwards. Markers, colours and legends still tell them apart.
    /// </summary>
    private sealed class SolidLines : IDisposable
    {
        private readonly List<(Action<LinePattern> Set, LinePattern Was)> _changed = [];

        public SolidLines(IEnumerable<Plot> plots)
        {
            foreach (var plottable in plots.SelectMany(p => p.GetPlottables()))
            {
                switch (plottable)
                {
                    case ScottPlot.Plottables.Scatter scatter when scatter.LinePattern.Name != LinePattern.Solid.Name:
                        _changed.Add((pattern => scatter.LinePattern = pattern, scatter.LinePattern));
                        scatter.LinePattern = LinePattern.Solid;
                        break;
                    case ScottPlot.Plottables.AxisLine line when line.LinePattern.Name != LinePattern.Solid.Name:
                        _changed.Add((pattern => line.LinePattern = pattern, line.LinePattern));
                        line.LinePattern = LinePattern.Solid;
                        break;
                }
            }
        }

        public void Dispose()
        {
            foreach (var (set, was) in _changed)
            {
                set(was);
            }
        }
    }

    /// <summary>
    /// Skia numbers an SVG's clip paths in hexadecimal with a counter for the whole process (<c>cl_4</c>, then
    /// <c>cl_6</c> for the same plot drawn again); numbered afresh from 1 in order of appearance,
    /// the same plot gives the same bytes whenever it is drawn.
    /// </summary>
    internal static string Renumbered(string svg)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(svg, "cl_[0-9a-f]+", match =>
        {
            if (!numbers.TryGetValue(match.Value, out int n))
            {
                numbers.Add(match.Value, n = numbers.Count + 1);
            }
            return $"cl_{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        });
    }
}
