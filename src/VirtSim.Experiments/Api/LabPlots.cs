using ScottPlot;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Api;

// The few kinds of picture the teaching labs draw, so that a lab's plotting cell says what is
// plotted against what, in words and units, and leaves the drawing to these: simulated points
// with their 95% intervals, theory as a dashed curve beside them, and grouped bars.

/// <summary>Plots for notebooks: simulated series with confidence intervals, theory curves, grouped bars.</summary>
public static class LabPlots
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>A plot with its title and axis labels (write the unit in brackets: "Calls per hour [1/h]").</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>The colour of series number <paramref name="index"/>, the same in every lab.</summary>
    public static Color Colour(int index) => Palette.GetColor(index);

    /// <summary>
    /// Simulated means at <paramref name="x"/>, joined by a line, each with the error bar of its 95%
    /// interval (drawn only where the interval is known: two or more replications).
    /// </summary>
    public static void Simulated(this Plot plot, IReadOnlyList<double> x, IReadOnlyList<ConfidenceInterval> y, string label, int colour)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        double[] xs = [.. x];
        double[] means = [.. y.Select(i => i.Mean)];
        double[] halves = [.. y.Select(i => double.IsFinite(i.HalfWidth) ? i.HalfWidth : 0)];
        var line = plot.Add.Scatter(xs, means);
        line.Color = Colour(colour);
        line.MarkerSize = 7;
        line.LegendText = label;
        if (halves.Any(h => h > 0))
        {
            var bars = plot.Add.ErrorBar(xs, means, halves);
            bars.Color = Colour(colour);
        }
    }

    /// <summary>A theory curve: <paramref name="f"/> drawn dashed over [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static void Theory(this Plot plot, Func<double, double> f, double from, double to, string label, int colour)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(f);
        double[] xs = [.. Enumerable.Range(0, 201).Select(i => from + (to - from) * i / 200)];
        var curve = plot.Add.Scatter(xs, [.. xs.Select(f)]);
        curve.Color = Colour(colour);
        curve.MarkerSize = 0;
        curve.LinePattern = LinePattern.Dashed;
        curve.LegendText = label;
    }

    /// <summary>A horizontal line at <paramref name="y"/>: a limit, a deadline, a budget.</summary>
    public static void Limit(this Plot plot, double y, string label)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var line = plot.Add.HorizontalLine(y);
        line.Color = Colors.Black;
        line.LinePattern = LinePattern.Dotted;
        line.LegendText = label;
    }

    /// <summary>
    /// Grouped bars: one group per name in <paramref name="groups"/> (the x axis), one bar per
    /// series in each, <paramref name="values"/>[series][group] with its 95% interval as an error bar.
    /// </summary>
    public static void Bars(this Plot plot, IReadOnlyList<string> groups, IReadOnlyList<string> series, IReadOnlyList<IReadOnlyList<ConfidenceInterval>> values)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(values);
        double width = 0.8 / series.Count;
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int g = 0; g < groups.Count; g++)
            {
                var value = values[s][g];
                bars.Add(new Bar
                {
                    Position = g + (s - (series.Count - 1) / 2.0) * width,
                    Value = value.Mean,
                    Error = double.IsFinite(value.HalfWidth) ? value.HalfWidth : 0,
                    Size = width * 0.95,
                    FillColor = Colour(s),
                });
            }
            var added = plot.Add.Bars(bars);
            added.LegendText = series[s];
            added.Color = Colour(s);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, groups.Count).Select(g => (double)g)], [.. groups]);
        plot.Axes.Margins(bottom: 0);
    }

    /// <summary>An exact value (a hand computation, a deterministic result) as an interval of width zero, for <see cref="Bars"/>.</summary>
    public static ConfidenceInterval Exact(double value) => new(value, 0, 1, 0.95);
}
