using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Running;

/// <summary>A sweep's results: each point's values and the run there.</summary>
/// <param name="Sweep">What was swept.</param>
/// <param name="Points">Each point's values, one override per parameter, in the sweep's order.</param>
/// <param name="Runs">The run at each point (its replications and summary).</param>
public sealed record ParameterSweepResult(ParameterSweep Sweep, IReadOnlyList<IReadOnlyList<Override>> Points, IReadOnlyList<RunResult> Runs);

/// <summary>Runs a scenario at every point of its sweep, one point after another, each point's replications in parallel.</summary>
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
        var runs = new List<(int, RunResult)>();
        double done = 0;
        foreach (int point in points)
        {
            var run = ExperimentRunner.Run(scenarios[point], options, progress is null ? null : new OffsetProgress(progress, done), cancellation);
            // Only what the outputs need is kept: memory stays flat in the number of points.
            runs.Add((point, run with { Replications = [.. run.Replications.Select(r => r with { Timeline = null, Utilization = null, FunctionInstances = null, PodTimeline = null, ColdStarts = null, LayerPulls = null })] }));
            done += run.Replications.Count;
        }
        return runs;
    }
}
