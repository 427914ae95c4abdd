using ScottPlot;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Experiments.Results;

/// <summary>
/// The plots of a load sweep, as ScottPlot models (so tests can read their series and labels)
/// and as PNG files. ScottPlot draws with SkiaSharp and needs a font on the machine (Debian's
/// fonts-dejavu-core); without one it silently draws no text.
/// </summary>
public static class ComparisonPlots
{
    /// <summary>The latency percentiles used by <see cref="LatencyAgainstLoad"/>, with the line pattern of each.</summary>
    public static IReadOnlyList<(string Measure, string Label, LinePattern Pattern)> LatencyPercentiles { get; } =
        [("latency p50", "p50", LinePattern.Dotted), ("latency p95", "p95", LinePattern.Dashed), ("latency p99", "p99", LinePattern.Solid)];

    /// <summary>
    /// The 50th, 95th and 99th percentile latency of each deployment against the arrival rate:
    /// one colour per deployment, one line pattern per percentile.
    /// </summary>
    public static Plot LatencyAgainstLoad(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double[] rates = [.. sweep.Rates];
        for (int d = 0; d < sweep.Comparison.Deployments.Count; d++)
        {
            var (name, kind, _) = sweep.Comparison.Deployments[d];
            foreach (var (measure, label, pattern) in LatencyPercentiles)
            {
                var scatter = plot.Add.Scatter(rates, sweep.Series(measure, d));
                scatter.Color = palette.GetColor(d);
                scatter.LinePattern = pattern;
                scatter.LegendText = $"{name} ({kind}) {label}";
            }
        }
        plot.Title($"Latency percentiles against load: {sweep.Comparison.Name}");
        plot.XLabel("Arrival rate [requests/s]");
        plot.YLabel("Response time [s]");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

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

    /// <summary>
    /// Instances running over time in the first replication: a function's instances (busy and
    /// kept warm) as the monitor sampled them, and VMs counted from their phase changes (one
    /// more when a VM starts running, one fewer when it crashes or is destroyed). Deployments of
    /// pods record no such series and are left out. Null when no deployment has one.
    /// </summary>
    public static Plot? InstancesOverTime(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        bool any = false;
        for (int d = 0; d < result.Runs.Count; d++)
        {
            var (name, kind, _) = result.Comparison.Deployments[d];
            var replication = result.Runs[d].Replications[0];
            var scenario = result.Runs[d].Scenario;
            var (times, counts) = replication.FunctionInstances is { Count: > 0 } samples ? FunctionSeries(samples)
                : replication.Timeline is { Count: > 0 } timeline ? VmSeries(timeline, scenario.Warmup + scenario.Duration)
                : (null, null);
            if (times is null || counts is null)
            {
                continue;
            }
            var line = plot.Add.Scatter(times.Select(t => t / 60).ToArray(), counts);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LegendText = $"{name} ({kind})";
            any = true;
        }
        if (!any)
        {
            return null;
        }
        plot.Title($"Instances over time: {result.Comparison.Name} (replication 1)");
        plot.XLabel("Time since the run began [min]");
        plot.YLabel("Instances running [count]");
        plot.ShowLegend();
        return plot;
    }

    private static (double[], double[]) FunctionSeries(IReadOnlyList<FunctionInstancesRow> samples)
    {
        var rows = samples.Where(r => r.Function == ComparisonReader.Workload).OrderBy(r => r.Time).ToList();
        return (rows.Select(r => r.Time).ToArray(), rows.Select(r => (double)(r.Busy + r.Idle)).ToArray());
    }

    private static (double[], double[]) VmSeries(IReadOnlyList<TimelineRow> timeline, double end)
    {
        var times = new List<double> { 0 };
        var counts = new List<double> { 0 };
        var running = new HashSet<int>();
        foreach (var row in timeline.OrderBy(r => r.Time))
        {
            bool changed = row.Phase == nameof(VmPhase.Running) ? running.Add(row.Vm)
                : (row.Phase is nameof(VmPhase.Crashed) or nameof(VmPhase.Destroyed)) && running.Remove(row.Vm);
            if (changed)
            {
                times.Add(row.Time);
                counts.Add(running.Count);
            }
        }
        times.Add(end);
        counts.Add(running.Count);
        return ([.. times], [.. counts]);
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
