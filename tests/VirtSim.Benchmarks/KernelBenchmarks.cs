using BenchmarkDotNet.Attributes;
using VirtSim.Kernel;

namespace VirtSim.Benchmarks;

/// <summary>The kernel's hot paths under BenchmarkDotNet, with allocation counts per operation.</summary>
[MemoryDiagnoser]
public class HoldBenchmark
{
    private Simulation _sim = null!;

    [Params(1_000, 100_000)]
    public int Pending { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sim = Workloads.Hold(Pending);
        _sim.Run(maxEvents: 2L * Pending + 100_000);
    }

    /// <summary>One million events of the hold model.</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public StopReason MillionEvents() => _sim.Run(maxEvents: 1_000_000);
}

[MemoryDiagnoser]
public class MM4Benchmark
{
    /// <summary>M/M/4, 100,000 customers from an empty station.</summary>
    [Benchmark]
    public long HundredThousandCustomers()
    {
        var (sim, _) = Workloads.MM4();
        sim.Run(until: 100_000 / 3.2);
        return sim.EventsProcessed;
    }
}

[MemoryDiagnoser]
public class FairShareBenchmark
{
    private Simulation _sim = null!;

    [Params(10, 1_000)]
    public int Concurrent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sim = Workloads.FairShare(Concurrent);
        _sim.Run(maxEvents: 10_000);
    }

    /// <summary>Ten thousand completions, each recomputing the rates of every activity.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public StopReason TenThousandCompletions() => _sim.Run(maxEvents: 10_000);
}
