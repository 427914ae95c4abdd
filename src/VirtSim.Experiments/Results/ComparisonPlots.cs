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

    /// <summary>The phases a VM passes through before it runs, in the order drawn.</summary>
    public static IReadOnlyList<string> StartupPhases { get; } =
        ["Requested", "Queued", "Placed", "TransferringImage", "WaitingForImage", "BootLoader", "LoadingOs", "StartingOs", "Provisioning"];

    /// <summary>
    /// A Gantt-like chart of every VM's start-up in the first replication of each deployment
    /// that recorded one: one lane per VM, one bar per phase from its start to the next phase,
    /// up to the moment the VM runs; one colour and legend entry per phase. Null when no
    /// deployment has VMs.
    /// </summary>
    public static Plot? StartupTimeline(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var bars = StartupPhases.ToDictionary(p => p, _ => new List<Bar>());
        var lanes = new List<Tick>();
        for (int d = 0; d < result.Runs.Count; d++)
        {
            if (result.Runs[d].Replications[0].Timeline is not { Count: > 0 } timeline)
            {
                continue;
            }
            foreach (var vm in timeline.GroupBy(row => row.Vm).OrderBy(g => g.Key))
            {
                var changes = vm.OrderBy(row => row.Time).ToList();
                double lane = lanes.Count;
                for (int i = 0; i + 1 < changes.Count && bars.ContainsKey(changes[i].Phase); i++)
                {
                    bars[changes[i].Phase].Add(new Bar { Position = lane, ValueBase = changes[i].Time, Value = changes[i + 1].Time, Size = 0.7 });
                }
                lanes.Add(new Tick(lane, $"{result.Comparison.Deployments[d].Name} VM {vm.Key}"));
            }
        }
        if (lanes.Count == 0)
        {
            return null;
        }
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < StartupPhases.Count; p++)
        {
            if (bars[StartupPhases[p]].Count == 0)
            {
                continue;
            }
            var series = plot.Add.Bars(bars[StartupPhases[p]]);
            series.Horizontal = true;
            series.Color = palette.GetColor(p);
            series.LegendText = StartupPhases[p];
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. lanes]);
        plot.Axes.InvertY();
        plot.Title($"VM start-up timeline: {result.Comparison.Name} (replication 1)");
        plot.XLabel("Time since the run began [s]");
        plot.YLabel("VM");
        plot.ShowLegend(Edge.Right);
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
