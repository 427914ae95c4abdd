using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Running;

/// <summary>A comparison repeated at several arrival rates.</summary>
/// <param name="Comparison">What was compared.</param>
/// <param name="Rates">The arrival rates, per second, in increasing order.</param>
/// <param name="Points">The comparison at each rate.</param>
public sealed record SweepResult(Comparison Comparison, IReadOnlyList<double> Rates, IReadOnlyList<ComparisonResult> Points)
{
    /// <summary>The means of <paramref name="measure"/> for deployment <paramref name="deployment"/>, one per rate.</summary>
    public double[] Series(ComparisonMeasure measure, int deployment) =>
        Points.Select(p => p.Row(measure).Values[deployment].Mean).ToArray();

    /// <summary>The 95% interval of a deployment's measure at each rate.</summary>
    public VirtSim.Kernel.Statistics.ConfidenceInterval[] Intervals(ComparisonMeasure measure, int deployment) =>
        Points.Select(p => p.Row(measure).Values[deployment]).ToArray();
}

/// <summary>Where one deployment overtakes another as the load grows.</summary>
/// <param name="Measure">The measure compared, such as cost per hour.</param>
/// <param name="Lower">The deployment lower on that measure below the crossover.</param>
/// <param name="Higher">The deployment lower on it above the crossover.</param>
/// <param name="Rate">The arrival rate, per second, where they cross.</param>
/// <param name="Significant">Whether the intervals tell the order apart on both sides: at some swept rate below the crossing the lower one's 95% interval lies wholly below the other's, and at some rate above wholly above; if not, the crossing may be chance.</param>
public sealed record Crossover(string Measure, string Lower, string Higher, double Rate, bool Significant = true)
{
    /// <summary>One sentence: which is lower below the crossing, and whether the intervals tell them apart.</summary>
    public string Describe() => FormattableString.Invariant(
        $"{Measure}: {Lower} is lower below {Rate:G4} requests/s, {Higher} above{(Significant ? "" : " (not significant: the 95% intervals do not tell the order apart on both sides)")}");
}

/// <summary>Where a deployment's latency breaks under a load sweep (see <see cref="SweepRunner.LatencyBreaks"/>).</summary>
/// <param name="Deployment">The deployment.</param>
/// <param name="LightLoadP99">Its p99 latency at the lowest rate swept, in seconds.</param>
/// <param name="Rate">The rate (per second) at which its p99 reaches twice that; null if it does not within the sweep.</param>
/// <param name="HighestRate">The highest rate swept, per second.</param>
public sealed record LatencyBreak(string Deployment, double LightLoadP99, double? Rate, double HighestRate)
{
    /// <summary>One sentence for tables, reports and the console.</summary>
    public string Describe() => Rate is { } rate
        ? FormattableString.Invariant($"{Deployment}: p99 reaches {SweepRunner.BreakFactor:G} × its light-load {LightLoadP99:G3} s near {rate:G4} requests/s")
        : FormattableString.Invariant($"{Deployment}: p99 stays under {SweepRunner.BreakFactor:G} × its light-load {LightLoadP99:G3} s up to {HighestRate:G4} requests/s");
}

/// <summary>Runs a comparison at every rate of its sweep, and finds where the deployments cross.</summary>
public static class SweepRunner
{
    /// <summary>The measures whose crossovers an architect looks for.</summary>
    public static readonly ComparisonMeasure[] CrossoverMeasures = [ComparisonMeasures.CostPerHour, ComparisonMeasures.LatencyP99];

    /// <summary>Runs <paramref name="comparison"/> at each of its sweep rates, with the same seeds at every rate.</summary>
    public static SweepResult Run(Comparison comparison, RunOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        var rates = comparison.SweepRates is { Count: > 0 } r ? r : throw new ArgumentException("The comparison has no sweep.", nameof(comparison));
        var points = new List<ComparisonResult>();
        double done = 0;
        foreach (double rate in rates)
        {
            double before = done;
            var atRate = comparison with { Deployments = comparison.Deployments.Select(d => (d.Name, d.Kind, AtRate(d.Scenario, rate))).ToList() };
            var point = ComparisonRunner.Run(atRate, options, progress is null ? null : new OffsetProgress(progress, before), cancellation);
            done += point.Runs.Sum(run => run.Replications.Count);
            points.Add(point);
        }
        return new SweepResult(comparison, rates, points);
    }

    /// <summary>How many times its value at the lowest rate swept a deployment's p99 latency must reach for its latency to count as broken.</summary>
    public const double BreakFactor = 2;

    /// <summary>
    /// Where each deployment's latency breaks: the rate, interpolated between the rates swept, at
    /// which its p99 first reaches <see cref="BreakFactor"/> times its value at the lowest rate
    /// (a queue building up towards saturation); null when it does not within the sweep.
    /// </summary>
    public static IReadOnlyList<LatencyBreak> LatencyBreaks(SweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var breaks = new List<LatencyBreak>();
        for (int d = 0; d < sweep.Comparison.Deployments.Count; d++)
        {
            var p99 = sweep.Series(ComparisonMeasures.LatencyP99, d);
            if (double.IsFinite(p99[0]) && p99[0] > 0)
            {
                breaks.Add(new LatencyBreak(sweep.Comparison.Deployments[d].Name, p99[0], BreakingPoint(sweep.Rates, p99), sweep.Rates[^1]));
            }
        }
        return breaks;
    }

    /// <summary>
    /// The first <paramref name="x"/>, interpolated, at which <paramref name="y"/> reaches
    /// <see cref="BreakFactor"/> times its first value; null if it never does.
    /// </summary>
    public static double? BreakingPoint(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        var crossings = CrossingPoints(x, y, Enumerable.Repeat(BreakFactor * y[0], y.Count).ToArray());
        return crossings.Count > 0 ? crossings[0] : null;
    }

    /// <summary>Every crossover of the crossover measures between every pair of deployments.</summary>
    public static IReadOnlyList<Crossover> Crossovers(SweepResult sweep)
    {
        var found = new List<Crossover>();
        var names = sweep.Comparison.Deployments.Select(d => d.Name).ToList();
        foreach (var measure in CrossoverMeasures)
        {
            for (int a = 0; a < names.Count; a++)
            {
                for (int b = a + 1; b < names.Count; b++)
                {
                    var ya = sweep.Series(measure, a);
                    var yb = sweep.Series(measure, b);
                    foreach (double rate in CrossingPoints(sweep.Rates, ya, yb))
                    {
                        // Below the crossing, the one whose curve starts lower wins.
                        int i = sweep.Rates.TakeWhile(x => x < rate).Count() - 1;
                        bool aLowerBelow = ya[Math.Max(i, 0)] < yb[Math.Max(i, 0)];
                        var (lower, higher) = aLowerBelow ? (a, b) : (b, a);
                        // Significant when the order is told apart by the intervals on both sides:
                        // at some rate below the crossing the one is wholly below the other, and above it wholly above.
                        bool below = Enumerable.Range(0, Math.Max(i, 0) + 1).Any(p => Below(sweep, measure, lower, higher, p));
                        bool above = Enumerable.Range(i + 1, sweep.Rates.Count - i - 1).Any(p => Below(sweep, measure, higher, lower, p));
                        found.Add(new Crossover(measure.Name, names[lower], names[higher], rate, below && above));
                    }
                }
            }
        }
        return found;
    }

    /// <summary>Whether deployment <paramref name="a"/>'s 95% interval of <paramref name="measure"/> lies wholly below <paramref name="b"/>'s at sweep point <paramref name="point"/>.</summary>
    private static bool Below(SweepResult sweep, ComparisonMeasure measure, int a, int b, int point)
    {
        var values = sweep.Points[point].Row(measure).Values;
        var (x, y) = (values[a], values[b]);
        return double.IsFinite(x.HalfWidth) && double.IsFinite(y.HalfWidth) && x.High < y.Low;
    }

    /// <summary>
    /// Where two curves sampled at the same <paramref name="x"/> cross: between consecutive
    /// samples where their difference changes sign, by linear interpolation. Samples where either
    /// is missing (NaN) are skipped.
    /// </summary>
    public static IReadOnlyList<double> CrossingPoints(IReadOnlyList<double> x, IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var points = new List<double>();
        int previous = -1;
        for (int i = 0; i < x.Count; i++)
        {
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i]))
            {
                continue;
            }
            if (previous >= 0)
            {
                double d0 = a[previous] - b[previous], d1 = a[i] - b[i];
                if (d0 != 0 && Math.Sign(d0) != Math.Sign(d1))
                {
                    points.Add(x[previous] + (x[i] - x[previous]) * d0 / (d0 - d1));
                }
            }
            previous = i;
        }
        return points;
    }

    /// <summary>Every scenario a comparison runs: each deployment, at each rate of its sweep if it has one.</summary>
    public static IEnumerable<Scenario> EveryScenario(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return comparison.SweepRates is { Count: > 0 } rates
            ? comparison.Deployments.SelectMany(d => rates.Select(rate => AtRate(d.Scenario, rate)))
            : comparison.Deployments.Select(d => d.Scenario);
    }

    /// <summary>A deployment's scenario with its workload's arrivals at <paramref name="rate"/> per second (Poisson).</summary>
    public static Scenario AtRate(Scenario scenario, double rate)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var interarrival = new Distribution.Exponential(1 / rate);
        var dc = scenario.Datacenter!;
        return scenario with
        {
            Datacenter = dc with
            {
                Services = dc.Services.Select(s => s with { Interarrival = interarrival }).ToList(),
                Functions = dc.Functions is { } f ? f with { Functions = f.Functions.Select(fn => fn with { Interarrival = interarrival }).ToList() } : null,
            },
        };
    }
}
