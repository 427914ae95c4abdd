using VirtSim.Kernel;

namespace VirtSim.Experiments.Running;

/// <summary>
/// Watches a run from outside its simulations, a few times a second: reports progress (the
/// simulated time of each replication under way, read from its clock) and stops the run when the
/// process holds more memory than its budget. It schedules nothing in the simulations, so what
/// they compute does not depend on it.
/// </summary>
internal sealed class RunMonitor : IDisposable
{
    private const int PeriodMilliseconds = 250;

    private readonly int _replications;
    private readonly double _horizon;
    private readonly long _memoryLimit;
    private readonly IProgress<double>? _progress;
    private readonly CancellationTokenSource _stop;
    private readonly Simulation?[] _running;
    private readonly Timer _timer;
    private int _finished;
    private long _memoryExceeded = -1;

    public RunMonitor(int replications, double horizon, long memoryLimit, IProgress<double>? progress, CancellationToken cancellation)
    {
        _replications = replications;
        _horizon = horizon;
        _memoryLimit = memoryLimit;
        _progress = progress;
        _running = new Simulation?[replications];
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _timer = new Timer(_ => Tick(), null, PeriodMilliseconds, PeriodMilliseconds);
    }

    /// <summary>Cancelled when the caller cancels or the memory budget is exceeded.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The memory held when the budget was exceeded, in bytes; null while it has not been.</summary>
    public long? MemoryExceeded => Interlocked.Read(ref _memoryExceeded) is >= 0 and var used ? used : null;

    public void Started(int index, Simulation simulation) => Volatile.Write(ref _running[index], simulation);

    public void Finished(int index)
    {
        Volatile.Write(ref _running[index], null);
        Interlocked.Increment(ref _finished);
        Report();
    }

    /// <summary>Tells the progress listener how many replications are done, in fractions.</summary>
    public void Report()
    {
        if (_progress is null)
        {
            return;
        }
        double done = Volatile.Read(ref _finished);
        if (_horizon > 0 && double.IsFinite(_horizon))
        {
            for (int i = 0; i < _running.Length; i++)
            {
                if (Volatile.Read(ref _running[i]) is { } sim)
                {
                    done += Math.Clamp(sim.Now / _horizon, 0, 1);
                }
            }
        }
        _progress.Report(Math.Min(done, _replications));
    }

    private void Tick()
    {
        long used = GC.GetTotalMemory(forceFullCollection: false);
        if (used > _memoryLimit && Interlocked.CompareExchange(ref _memoryExceeded, used, -1) == -1)
        {
            _stop.Cancel();
            return;
        }
        Report();
    }

    public void Dispose()
    {
        // Wait for a tick under way, so none touches the token source after it is gone.
        using (var stopped = new ManualResetEvent(initialState: false))
        {
            if (_timer.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }
        _stop.Dispose();
    }
}

/// <summary>Reports to <paramref name="inner"/> what is reported to it plus <paramref name="offset"/>, at once, on the caller's thread.</summary>
internal sealed class OffsetProgress(IProgress<double> inner, double offset) : IProgress<double>
{
    public void Report(double value) => inner.Report(offset + value);
}
