using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Running;

/// <summary>A sweep's results: each point's values and the run there.</summary>
/// <param name="Sweep">What was swept.</param>
/// <param name="Points">Each point's values, one override per parameter, in the sweep's order.</param>
/// <param name="Runs">The run at each point (its replications and summary).</param>
public sealed record ParameterSweepResult(ParameterSweep Sweep, IReadOnlyList<IReadOnlyList<Override>> Points, IReadOnlyList<RunResult> Runs);

/// <summary>A comparison sweep's results: each point's values and the comparison there.</summary>
/// <param name="Sweep">What was swept.</param>
/// <param name="Points">Each point's values, one override per parameter.</param>
/// <param name="Results">The comparison at each point.</param>
public sealed record ComparisonSweepResult(ParameterSweep Sweep, IReadOnlyList<IReadOnlyList<Override>> Points, IReadOnlyList<ComparisonResult> Results);

/// <summary>
/// Runs a scenario (or a comparison) at every point of its sweep. Points with fewer replications
/// than cores run side by side, one core each, so that a sweep of single replications keeps every
/// core busy; otherwise one point after another, each point's replications in parallel. Either
/// way a point's results are those of a plain run of it.
/// </summary>
public static class ParameterSweepRunner
{
    /// <summary>
    /// Runs <paramref name="scenarios"/> (one per point of <paramref name="sweep"/>, as
    /// <see cref="ScenarioLoader.ReadSweep"/> gives them); <paramref name="progress"/> hears the
    /// replications done over the whole sweep. Each point runs as a plain run of its scenario
    /// would, so its results equal that run's.
    /// </summary>
    public static ParameterSweepResult Run(ParameterSweep sweep, IReadOnlyList<Scenario> scenarios, RunOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(scenarios);
        var runs = RunPoints(scenarios, Enumerable.Range(0, scenarios.Count), options, progress, cancellation);
        return new ParameterSweepResult(sweep, sweep.EveryPoint(), [.. runs.Select(r => r.Run)]);
    }

    /// <summary>
    /// Runs the points <paramref name="points"/> (indexes into <paramref name="scenarios"/>) of a sweep,
    /// each whole: all its replications (or its whole sequential procedure, for a precision) in
    /// this process. A shard of a sweep runs its points so, which needs no coordinator.
    /// </summary>
    public static IReadOnlyList<(int Point, RunResult Run)> RunPoints(IReadOnlyList<Scenario> scenarios, IEnumerable<int> points, RunOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        options ??= new RunOptions();
        options = options with { Shard = null };
        int[] chosen = [.. points];
        var runs = Points(chosen.Length, scenarios.Count == 0 ? 1 : options.Replications ?? scenarios[0].Replications, options, progress, cancellation,
            (i, pointOptions, pointProgress) =>
            {
                var run = ExperimentRunner.Run(scenarios[chosen[i]], pointOptions, pointProgress, cancellation);
                // Only what the outputs need is kept: memory stays flat in the number of points.
                return run with { Replications = [.. run.Replications.Select(Lean)] };
            }, run => run.Replications.Count);
        return [.. chosen.Select((point, i) => (point, runs[i]))];
    }

    /// <summary>Runs a comparison at every point of its sweep (see the class for how points share the cores).</summary>
    public static ComparisonSweepResult RunComparisons(ParameterSweep sweep, IReadOnlyList<Comparison> comparisons, RunOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var results = RunComparisonPoints(comparisons, Enumerable.Range(0, comparisons.Count), options, progress, cancellation);
        return new ComparisonSweepResult(sweep, sweep.EveryPoint(), [.. results.Select(r => r.Result)]);
    }

    /// <summary>Runs the points <paramref name="points"/> of a comparison's sweep, each whole (a shard of the sweep runs its points so).</summary>
    public static IReadOnlyList<(int Point, ComparisonResult Result)> RunComparisonPoints(IReadOnlyList<Comparison> comparisons, IEnumerable<int> points,
        RunOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        options = (options ?? new RunOptions()) with { Timeline = false, Shard = null };
        int[] chosen = [.. points];
        int replications = options.Replications ?? comparisons[0].Deployments[0].Scenario.Replications;
        var results = Points(chosen.Length, replications, options, progress, cancellation, (i, pointOptions, pointProgress) =>
        {
            var result = ComparisonRunner.Run(comparisons[chosen[i]], pointOptions, pointProgress, cancellation);
            return result with { Runs = [.. result.Runs.Select(r => r with { Replications = [.. r.Replications.Select(Lean)] })] };
        }, result => result.Runs.Sum(r => r.Replications.Count));
        return [.. chosen.Select((point, i) => (point, results[i]))];
    }

    private static ReplicationResult Lean(ReplicationResult r) =>
        r with { Timeline = null, Utilization = null, FunctionInstances = null, PodTimeline = null, ColdStarts = null, LayerPulls = null };

    /// <summary>
    /// Runs <paramref name="count"/> points: side by side, one core each, when a point has fewer
    /// replications than there are cores to use; one after another otherwise. Progress is the sum
    /// over points of the replications each has done.
    /// </summary>
    private static T[] Points<T>(int count, int replications, RunOptions options, IProgress<double>? progress, CancellationToken cancellation,
        Func<int, RunOptions, IProgress<double>?, T> run, Func<T, int> done)
    {
        var results = new T[count];
        int cores = options.Parallelism ?? Environment.ProcessorCount;
        if (replications >= cores || count <= 1)
        {
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                results[i] = run(i, options, progress is null ? null : new OffsetProgress(progress, sum));
                sum += done(results[i]);
            }
            return results;
        }
        var each = new double[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = cores, CancellationToken = cancellation };
        Parallel.For(0, count, parallel, i =>
        {
            var pointProgress = progress is null ? null : new PointProgress(progress, each, i);
            results[i] = run(i, options with { Parallelism = 1 }, pointProgress);
        });
        return results;
    }

    /// <summary>One point's progress within the sum over all points.</summary>
    private sealed class PointProgress(IProgress<double> inner, double[] each, int point) : IProgress<double>
    {
        public void Report(double value)
        {
            Volatile.Write(ref each[point], value);
            double sum = 0;
            for (int i = 0; i < each.Length; i++)
            {
                sum += Volatile.Read(ref each[i]);
            }
            inner.Report(sum);
        }
    }
}
