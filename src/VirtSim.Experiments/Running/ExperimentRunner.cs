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
public sealed record RunOptions(int? Replications = null, ulong? Seed = null, int? Parallelism = null, bool Timeline = false);

/// <summary>
/// Runs the replications of a scenario, in parallel across cores. Each replication has its own
/// simulation and a seed derived from the scenario seed and its index alone, and results are
/// kept by index, so the output is the same bytes at any level of parallelism.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="scenario"/>; <paramref name="progress"/> hears of each finished replication.</summary>
    public static RunResult Run(Scenario scenario, RunOptions? options = null, IProgress<int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new RunOptions();
        int count = options.Replications ?? scenario.Replications;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (options.Seed is { } seed)
        {
            scenario = scenario with { Seed = seed };
        }
        var results = new ReplicationResult[count];
        int done = 0;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Parallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellation,
        };
        Parallel.For(0, count, parallel, index =>
        {
            results[index] = RunOne(scenario, index, options.Timeline && index == 0, cancellation);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return new RunResult(scenario, results);
    }

    /// <summary>Runs replication <paramref name="index"/> alone, as a shard of a larger run would.</summary>
    public static ReplicationResult RunOne(Scenario scenario, int index, bool timeline = false, CancellationToken cancellation = default)
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
        var stop = sim.Run(until: scenario.Warmup + scenario.Duration, cancellation: cancellation);
        cancellation.ThrowIfCancellationRequested();
        if (stop != StopReason.TimeReached && stop != StopReason.NoMoreEvents)
        {
            throw new InvalidOperationException($"Replication {index} stopped early: {stop}.");
        }
        return new ReplicationResult(index, seed, measure(), sim.EventsProcessed, recorder?.Rows, recorder?.Samples, recorder?.FunctionSamples,
            recorder?.PodRows, recorder?.ColdStarts);
    }

    private static void ScheduleWarmup(Simulation sim, Scenario scenario, Action reset)
    {
        if (scenario.Warmup > 0)
        {
            sim.Schedule(scenario.Warmup, reset);
        }
    }
}
