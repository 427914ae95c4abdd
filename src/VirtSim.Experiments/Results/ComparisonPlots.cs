using ScottPlot;
using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

/// <summary>
/// The plots of a load sweep, as ScottPlot models (so tests can read their series and labels)
/// and as PNG files. ScottPlot draws with SkiaSharp and needs a font on the machine (Debian's
/// fonts-dejavu-core); without one it silently draws no text.
/// </summary>
public static class ComparisonPlots
{
    /// <summary>The 99th-percentile latency of each deployment against the arrival rate.</summary>
    public static Plot LatencyAgainstLoad(SweepResult sweep) =>
        AgainstLoad(sweep, "latency p99", "Latency against load (99th percentile)", "Response time p99 [s]");

    /// <summary>The cost per hour of each deployment against the arrival rate.</summary>
    public static Plot CostAgainstLoad(SweepResult sweep) =>
        AgainstLoad(sweep, "cost per hour", "Cost against load", "Cost [money/h]");

    private static Plot AgainstLoad(SweepResult sweep, string measure, string title, string yLabel)
    {
        var plot = new Plot();
        double[] rates = [.. sweep.Rates];
        for (int d = 0; d < sweep.Comparison.Deployments.Count; d++)
        {
            var (name, kind, _) = sweep.Comparison.Deployments[d];
            var scatter = plot.Add.Scatter(rates, sweep.Series(measure, d));
            scatter.LegendText = $"{name} ({kind})";
        }
        plot.Title($"{title}: {sweep.Comparison.Name}");
        plot.XLabel("Arrival rate [requests/s]");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return plot;
    }

    /// <summary>Saves <paramref name="plot"/> as a PNG of 900 × 560 pixels.</summary>
    public static void Save(Plot plot, string path) => plot.SavePng(path, 900, 560);

    /// <summary><paramref name="plot"/> as the bytes of a PNG of 900 × 560 pixels.</summary>
    public static byte[] Png(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return plot.GetImageBytes(900, 560, ImageFormat.Png);
    }
}
