using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Workload;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Running;

/// <summary>How to run a scenario's replications.</summary>
/// <param name="Replications">How many; null takes the scenario's number.</param>
/// <param name="Seed">Master seed; null takes the scenario's.</param>
/// <param name="Parallelism">Replications run at once; null uses every core.</param>
/// <param name="Timeline">Record the phases of every VM of replication 0.</param>
/// <param name="Budget">Events and memory the run may use; null takes <see cref="RunBudget.Default"/>.</param>
/// <param name="Shard">Run only this shard's replications (see <see cref="Running.Shard"/>); null runs them all.</param>
public sealed record RunOptions(int? Replications = null, ulong? Seed = null, int? Parallelism = null, bool Timeline = false,
    RunBudget? Budget = null, Shard? Shard = null);

/// <summary>
/// Runs the replications of a scenario, in parallel across cores. Each replication has its own
/// simulation and a seed derived from the scenario seed and its index alone, and results are
/// kept by index, so the output is the same bytes at any level of parallelism.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>
    /// Runs <paramref name="scenario"/>; <paramref name="progress"/> hears, a few times a second,
    /// how many replications are done (fractions count the simulated time of those under way).
    /// Throws <see cref="BudgetExceededException"/> when the scenario needs more than the budget
    /// allows, before running or when a replication reaches it.
    /// </summary>
    public static RunResult Run(Scenario scenario, RunOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new RunOptions();
        if (options.Seed is { } seed)
        {
            scenario = scenario with { Seed = seed };
        }
        var budget = options.Budget ?? RunBudget.Default;
        if (options.Replications is null && scenario.Precision is { } precision)
        {
            if (options.Shard is not null)
            {
                throw new ArgumentException("A run to a precision decides its replications as it goes; shard it with a fixed number of replications.", nameof(options));
            }
            return new RunResult(scenario, RunToPrecision(scenario, precision, options, budget, progress, cancellation));
        }
        int count = options.Replications ?? scenario.Replications;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        // A shard runs its own replications (each with the seed its index gives) and no others.
        int[] indexes = options.Shard is { } shard ? [.. shard.Of(count)] : [.. Enumerable.Range(0, count)];
        return new RunResult(scenario, RunIndexes(scenario, indexes, options, budget, progress, cancellation));
    }

    /// <summary>
    /// Replications in batches until every metric of <paramref name="precision"/> is known to its
    /// relative precision or <see cref="PrecisionTarget.Max"/> are run (see <see cref="PrecisionTarget"/>).
    /// Each decision depends only on the replications run so far, whose seeds depend only on their
    /// indexes: the same replications are run at any parallelism.
    /// </summary>
    private static ReplicationResult[] RunToPrecision(Scenario scenario, PrecisionTarget precision, RunOptions options, RunBudget budget,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        var results = new List<ReplicationResult>();
        int target = precision.Min;
        while (true)
        {
            int[] batch = [.. Enumerable.Range(results.Count, target - results.Count)];
            double before = results.Count;
            results.AddRange(RunIndexes(scenario, batch, options, budget, progress is null ? null : new OffsetProgress(progress, before), cancellation));
            int n = results.Count;
            if (n >= precision.Max)
            {
                return [.. results];
            }
            int needed = n;
            foreach (string metric in precision.Metrics)
            {
                var values = results.Select(r => Value(r, metric)).Where(double.IsFinite).ToList();
                var interval = VirtSim.Kernel.Statistics.ConfidenceInterval.Of(values);
                if (!precision.Met(interval.Mean, interval.HalfWidth))
                {
                    needed = Math.Max(needed, precision.Needed(n, interval.Mean, interval.HalfWidth));
                }
            }
            if (needed == n)
            {
                return [.. results];
            }
            target = needed;
        }
    }

    private static double Value(ReplicationResult replication, string metric)
    {
        foreach (var measurement in replication.Measurements)
        {
            if (measurement.Name == metric)
            {
                return measurement.Value;
            }
        }
        throw new UnknownMetricException(metric, replication.Measurements.Select(m => m.Name).ToList());
    }

    private static ReplicationResult[] RunIndexes(Scenario scenario, int[] indexes, RunOptions options, RunBudget budget,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        int concurrent = Math.Max(1, Math.Min(indexes.Length, options.Parallelism ?? Environment.ProcessorCount));
        budget.Check(scenario, concurrent);
        var results = new ReplicationResult[indexes.Length];
        using var monitor = new RunMonitor(indexes.Length, scenario.Warmup + scenario.Duration, budget.MemoryLimit, progress, cancellation);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Parallelism ?? Environment.ProcessorCount,
            CancellationToken = monitor.Token,
        };
        try
        {
            Parallel.For(0, indexes.Length, parallel, slot =>
            {
                int index = indexes[slot];
                results[slot] = RunOne(scenario, index, options.Timeline && index == 0, monitor.Token, budget.MaxEvents, monitor, slot);
            });
        }
        catch (AggregateException failure)
        {
            // Parallel.For wraps what a replication throws; pass on the first thing a caller can act on.
            var inner = failure.Flatten().InnerExceptions;
            var first = inner.FirstOrDefault(e => e is BudgetExceededException)
                ?? inner.FirstOrDefault(e => e is not OperationCanceledException) ?? inner[0];
            if (first is OperationCanceledException && monitor.MemoryExceeded is { } held)
            {
                throw MemoryExceeded(held, budget);
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        catch (OperationCanceledException) when (monitor.MemoryExceeded is { } used)
        {
            throw MemoryExceeded(used, budget);
        }
        monitor.Report();
        return results;
    }

    private static BudgetExceededException MemoryExceeded(long used, RunBudget budget) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the run held {used / 1e9:G3} GB of memory, more than its budget of {budget.MemoryLimit / 1e9:G3} GB, and was stopped; a queue that grows without bound (offered load at or above capacity) is the usual cause (raise the budget with --max-memory)"));

    /// <summary>Runs replication <paramref name="index"/> alone, as a shard of a larger run would.</summary>
    public static ReplicationResult RunOne(Scenario scenario, int index, bool timeline = false, CancellationToken cancellation = default,
        long maxEvents = RunBudget.DefaultMaxEvents)
        => RunOne(scenario, index, timeline, cancellation, maxEvents, null, index);

    private static ReplicationResult RunOne(Scenario scenario, int index, bool timeline, CancellationToken cancellation, long maxEvents,
        RunMonitor? monitor, int slot)
    {
        ulong seed = RandomStreams.ReplicationSeed(scenario.Seed, index);
        var sim = new Simulation(seed);
        Func<IReadOnlyList<Measurement>> measure;
        TimelineRecorder? recorder = null;
        if (scenario.Datacenter is { } spec)
        {
            var datacenter = new VirtSim.Datacenter.Datacenter(sim, spec);
            if (timeline)
            {
                recorder = new TimelineRecorder();
                datacenter.AddObserver(recorder);
            }
            datacenter.Start();
            ScheduleWarmup(sim, scenario, datacenter.ResetStatistics);
            measure = datacenter.Measure;
        }
        else
        {
            var station = new QueueingStation(sim, scenario.Station!);
            station.Start();
            ScheduleWarmup(sim, scenario, station.ResetStatistics);
            measure = station.Measure;
        }
        monitor?.Started(slot, sim);
        var stop = sim.Run(until: scenario.Warmup + scenario.Duration, maxEvents: maxEvents, cancellation: cancellation);
        monitor?.Finished(slot);
        cancellation.ThrowIfCancellationRequested();
        if (stop == StopReason.EventLimitReached)
        {
            throw new BudgetExceededException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"replication {index} processed its budget of {maxEvents:N0} events by {sim.Now:G4} s of {scenario.Warmup + scenario.Duration:G4} s simulated, and was stopped (raise the budget with --max-events, or shorten the run)"));
        }
        if (stop != StopReason.TimeReached && stop != StopReason.NoMoreEvents)
        {
            throw new InvalidOperationException($"Replication {index} stopped early: {stop}.");
        }
        return new ReplicationResult(index, seed, measure(), sim.EventsProcessed, recorder?.Rows, recorder?.Samples, recorder?.FunctionSamples,
            recorder?.PodRows, recorder?.ColdStarts, recorder?.LayerPulls);
    }

    private static void ScheduleWarmup(Simulation sim, Scenario scenario, Action reset)
    {
        if (scenario.Warmup > 0)
        {
            sim.Schedule(scenario.Warmup, reset);
        }
    }
}

/// <summary>A metric named (in a precision target) that the scenario does not measure.</summary>
public sealed class UnknownMetricException(string metric, IReadOnlyList<string> known)
    : ArgumentException($"precision: metrics: this scenario measures no '{metric}'{VirtSim.Experiments.Scenarios.Suggest.DidYouMean(metric, known)} (virtsim metrics lists them)")
{
    /// <summary>The name that is not a metric of the scenario.</summary>
    public string Metric { get; } = metric;
}
