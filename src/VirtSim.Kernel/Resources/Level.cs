using VirtSim.Kernel.Processes;

namespace VirtSim.Kernel.Resources;

/// <summary>
/// A level: a divisible quantity, such as memory, that is taken and given back. A process
/// yields <see cref="Take"/> and waits until the amount is free; requests are served strictly
/// in order of arrival, so a large request is not starved by small ones behind it.
/// </summary>
public sealed class Level : IWaitable
{
    private readonly Queue<(Process Process, double Amount)> _waiting = new();

    /// <summary>Creates a level of <paramref name="capacity"/> units, <paramref name="initial"/> of them available.</summary>
    public Level(double capacity, double? initial = null)
    {
        if (!(capacity >= 0) || double.IsInfinity(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A capacity must be finite, zero or more.");
        }
        double start = initial ?? capacity;
        if (!(start >= 0 && start <= capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), start, "The initial amount must lie between zero and the capacity.");
        }
        Capacity = capacity;
        Available = start;
    }

    /// <summary>The most the level holds.</summary>
    public double Capacity { get; }

    /// <summary>The amount free right now.</summary>
    public double Available { get; private set; }

    /// <summary>Processes waiting for an amount.</summary>
    public int QueueLength => _waiting.Count;

    /// <summary>A wait until <paramref name="amount"/> is free, which is then taken.</summary>
    public Await Take(double amount)
    {
        CheckAmount(amount);
        return Await.On(this, amount);
    }

    /// <summary>Takes <paramref name="amount"/> now if it is free and nobody waits before it.</summary>
    public bool TryTake(double amount)
    {
        CheckAmount(amount);
        if (_waiting.Count > 0 || amount > Available)
        {
            return false;
        }
        Available -= amount;
        return true;
    }

    /// <summary>Gives <paramref name="amount"/> back and serves waiting requests in order.</summary>
    public void Give(double amount)
    {
        CheckAmount(amount);
        if (Available + amount > Capacity * (1 + 1e-12))
        {
            throw new InvalidOperationException($"Giving {amount} back would exceed the capacity {Capacity}.");
        }
        Available = Math.Min(Capacity, Available + amount);
        while (_waiting.Count > 0 && _waiting.Peek().Amount <= Available)
        {
            var (process, taken) = _waiting.Dequeue();
            Available -= taken;
            process.Resume(taken);
        }
    }

    bool IWaitable.TryAttach(Process process, in Await request)
    {
        if (request.Amount > Capacity)
        {
            throw new InvalidOperationException($"Asked for {request.Amount}, more than the capacity {Capacity}; the wait would never end.");
        }
        if (TryTake(request.Amount))
        {
            return true;
        }
        _waiting.Enqueue((process, request.Amount));
        return false;
    }

    void IWaitable.Detach(Process process)
    {
        int n = _waiting.Count;
        for (int i = 0; i < n; i++)
        {
            var entry = _waiting.Dequeue();
            if (!ReferenceEquals(entry.Process, process))
            {
                _waiting.Enqueue(entry);
            }
        }
        // The head may have been the blocker; those behind it may fit now.
        Give(0);
    }

    private static void CheckAmount(double amount)
    {
        if (!(amount >= 0) || double.IsInfinity(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "An amount must be finite, zero or more.");
        }
    }
}
