using ScottPlot;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// The plots of a load sweep, as ScottPlot models (so tests can read their series and labels)
/// and as PNG files. ScottPlot draws with SkiaSharp and needs a font on the machine (Debian's
/// fonts-dejavu-core); without one it silently draws no text.
/// </summary>
public static partial class ComparisonPlots
{
    static ComparisonPlots() => NativeSkia.Register();

    /// <summary>
    /// The phases drawn on the start-up timeline, in legend order: a VM's before it runs, a pod's
    /// before its containers run (its layer pulls as <c>Pulling</c>), and a function cold start's
    /// wait for its container (on engines) and its runtime and function initialization.
    /// </summary>
    public static IReadOnlyList<string> StartupPhases { get; } =
        ["Requested", "Queued", "Pending", "Placed", "TransferringImage", "WaitingForImage", "BootLoader", "LoadingOs", "StartingOs",
            "Provisioning", "Pulling", "Starting", "WaitingForContainer", "Initializing"];

    /// <summary>The most lanes of one kind (VMs, pods, cold starts) drawn per deployment: the first requested.</summary>
    public const int LanesPerKind = 8;

    /// <summary>
    /// A Gantt-like chart of start-ups in the first replication of each deployment: one lane per
    /// VM, pod or function cold start (at most <see cref="LanesPerKind"/> of each kind per
    /// deployment, the first requested), one bar per phase from its start to the next phase, up
    /// to the moment the VM or the containers run or the function executes. Every lane starts at
    /// its own request, so start-ups that happen at different times line up for comparison. One
    /// colour and legend entry per phase. Null when nothing started.
    /// </summary>
    public static Plot? StartupTimeline(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var bars = StartupPhases.ToDictionary(p => p, _ => new List<Bar>());
        var lanes = new List<Tick>();
        void AddLane(string label, IEnumerable<(string Phase, double Start, double End)> phases)
        {
            double lane = lanes.Count;
            double origin = double.NaN;
            foreach (var (phase, start, end) in phases)
            {
                origin = double.IsNaN(origin) ? start : origin;
                if (end > start && bars.TryGetValue(phase, out var list))
                {
                    list.Add(new Bar { Position = lane, ValueBase = start - origin, Value = end - origin, Size = 0.7 });
                }
            }
            lanes.Add(new Tick(lane, label));
        }
        for (int d = 0; d < result.Runs.Count; d++)
        {
            string name = result.Comparison.Deployments[d].Name;
            var replication = result.Runs[d].Replications[0];
            foreach (var vm in PhasesOf(replication.Timeline ?? [], r => r.Vm, r => r.Phase, r => r.Time, nameof(VmPhase.Running)))
            {
                AddLane($"{name} VM {vm.Id}", vm.Phases);
            }
            foreach (var pod in PhasesOf(replication.PodTimeline ?? [], r => r.Pod, r => r.Phase, r => r.Time, nameof(PodPhase.Running)))
            {
                AddLane($"{name} pod {pod.Id}", pod.Phases);
            }
            // Recorded as their containers run; drawn in the order they were asked for.
            var coldStarts = (replication.ColdStarts ?? []).OrderBy(c => c.Requested).Take(LanesPerKind).ToList();
            for (int i = 0; i < coldStarts.Count; i++)
            {
                var c = coldStarts[i];
                AddLane($"{name} cold start {i + 1}",
                    [("WaitingForContainer", c.Requested, c.ContainerRunning), ("Initializing", c.ContainerRunning, c.Ready)]);
            }
        }
        if (bars.Values.All(b => b.Count == 0))
        {
            return null;
        }
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        for (int p = 0; p < StartupPhases.Count; p++)
        {
            if (bars[StartupPhases[p]].Count == 0)
            {
                continue;
            }
            var series = plot.Add.Bars(bars[StartupPhases[p]]);
            series.Horizontal = true;
            series.Color = palette.GetColor(p);
            series.LegendText = PhaseInWords(StartupPhases[p]);
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. lanes]);
        plot.Axes.InvertY();
        plot.Title($"Start-up timeline: {result.Comparison.Name} (replication 1)");
        plot.XLabel("Time since requested [s]");
        plot.YLabel($"VM, pod or cold start (first {LanesPerKind} of each)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>A phase's code name in words for a legend: <c>LoadingOs</c> is "loading OS".</summary>
    public static string PhaseInWords(string phase) => TraceWriter.Words(phase).Replace(" os", " OS", StringComparison.Ordinal);

    /// <summary>
    /// The first <see cref="LanesPerKind"/> VMs or pods of a timeline in order of request, each
    /// with its phases (start and end) up to its first time in <paramref name="running"/>.
    /// </summary>
    private static IEnumerable<(int Id, List<(string, double, double)> Phases)> PhasesOf<T>(IReadOnlyList<T> timeline,
        Func<T, int> id, Func<T, string> phase, Func<T, double> time, string running)
    {
        foreach (var group in timeline.GroupBy(id).OrderBy(g => g.Key).Take(LanesPerKind))
        {
            var changes = group.OrderBy(time).ToList();
            var phases = new List<(string, double, double)>();
            for (int i = 0; i + 1 < changes.Count && phase(changes[i]) != running; i++)
            {
                phases.Add((phase(changes[i]), time(changes[i]), time(changes[i + 1])));
            }
            yield return (group.Key, phases);
        }
    }

    /// <summary>
    /// Instances running over time in the first replication: a function's busy and kept-warm
    /// instances as two lines, as the monitor sampled them; pods counted from their phase changes
    /// (one more when its containers run, one fewer when it stops); VMs likewise (one fewer when
    /// one crashes or is destroyed). The warm-up is shaded; counts have whole-number ticks from
    /// zero. Null when no deployment has any.
    /// </summary>
    public static Plot? InstancesOverTime(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        bool any = false;
        double warmup = 0, top = 1;
        void Line(double[] times, double[] counts, string legend, int deployment, LinePattern pattern, bool lighter = false)
        {
            var line = plot.Add.Scatter(times.Select(t => t / 60).ToArray(), counts);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            // Kept-warm instances lighter as well as dotted, so they stay apart where dashes are not drawn (SVG).
            line.Color = lighter ? palette.GetColor(deployment).WithAlpha(0.5) : palette.GetColor(deployment);
            line.LinePattern = pattern;
            line.LegendText = legend;
            top = Math.Max(top, counts.Max());
            any = true;
        }
        for (int d = 0; d < result.Runs.Count; d++)
        {
            var (name, kind, _) = result.Comparison.Deployments[d];
            var replication = result.Runs[d].Replications[0];
            var scenario = result.Runs[d].Scenario;
            double end = scenario.Warmup + scenario.Duration;
            warmup = Math.Max(warmup, scenario.Warmup);
            if (replication.FunctionInstances is { Count: > 0 } samples)
            {
                // Busy and kept warm apart: the keep-alive trade-off is the second line.
                int provisioned = scenario.Datacenter?.Functions?.Functions.Sum(f => f.Provisioned) ?? 0;
                var (times, busy, warm) = FunctionSeries(samples, provisioned);
                Line(times, busy, $"{name} ({kind}), busy", d, LinePattern.Solid);
                Line(times, warm, $"{name} ({kind}), kept warm", d, LinePattern.Dotted, lighter: true);
                continue;
            }
            var (t, counts) = replication.PodTimeline is { Count: > 0 } pods
                    ? RunningSeries(pods, r => r.Pod, r => r.Phase == nameof(PodPhase.Running), r => r.Phase == nameof(PodPhase.Stopped), r => r.Time, end)
                : replication.Timeline is { Count: > 0 } timeline
                    ? RunningSeries(timeline, r => r.Vm, r => r.Phase == nameof(VmPhase.Running),
                        r => r.Phase is nameof(VmPhase.Crashed) or nameof(VmPhase.Destroyed), r => r.Time, end)
                : (null, null);
            if (t is not null && counts is not null)
            {
                Line(t, counts, $"{name} ({kind})", d, d % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed);
            }
        }
        if (!any)
        {
            return null;
        }
        if (warmup > 0)
        {
            // Measurements start after the warm-up: shaded, so the eye discounts it.
            var span = plot.Add.HorizontalSpan(0, warmup / 60);
            span.FillColor = Colors.Gray.WithAlpha(0.15);
            span.LineWidth = 0;
            span.LegendText = "warm-up (not measured)";
        }
        plot.Title($"Instances over time: {result.Comparison.Name} (replication 1)");
        plot.XLabel("Time since the run began [min]");
        plot.YLabel("Instances running [count]");
        // Counts: whole-number ticks, from zero.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsY(0, Math.Ceiling(top * 1.15));
        plot.ShowLegend();
        return plot;
    }

    private static (double[] Times, double[] Busy, double[] Warm) FunctionSeries(IReadOnlyList<FunctionInstancesRow> samples, int provisioned)
    {
        // The monitor samples from its first interval on; at the start only provisioned instances exist, idle.
        var rows = samples.Where(r => r.Function == ComparisonReader.Workload).OrderBy(r => r.Time).ToList();
        return ([0, .. rows.Select(r => r.Time)], [0, .. rows.Select(r => (double)r.Busy)], [provisioned, .. rows.Select(r => (double)r.Idle)]);
    }

    private static (double[], double[]) RunningSeries<T>(IReadOnlyList<T> timeline, Func<T, int> id, Func<T, bool> starts,
        Func<T, bool> ends, Func<T, double> time, double end)
    {
        var times = new List<double> { 0 };
        var counts = new List<double> { 0 };
        var running = new HashSet<int>();
        foreach (var row in timeline.OrderBy(time))
        {
            bool changed = starts(row) ? running.Add(id(row)) : ends(row) && running.Remove(id(row));
            if (changed)
            {
                times.Add(time(row));
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
