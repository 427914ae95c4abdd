namespace VirtSim.Kernel.Processes;

/// <summary>
/// What a process waits for, as it yields it: a delay, an event, a resource, an item of a store,
/// an amount of a level, an activity, another process. A small struct, so waiting allocates nothing.
/// </summary>
public readonly struct Await
{
    internal Await(IWaitable? target, double amount, int priority)
    {
        Target = target;
        Amount = amount;
        Priority = priority;
    }

    /// <summary>The thing waited on; null for a plain delay.</summary>
    public IWaitable? Target { get; }

    /// <summary>The delay in seconds, or the amount asked of a level.</summary>
    public double Amount { get; }

    /// <summary>The queueing priority asked of a resource (lower is served first).</summary>
    public int Priority { get; }

    /// <summary>A wait on any waitable thing, for waitables defined outside the kernel.</summary>
    public static Await On(IWaitable target, double amount = 0, int priority = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new Await(target, amount, priority);
    }

    /// <summary>Waits until <paramref name="e"/> has succeeded.</summary>
    public static implicit operator Await(SimEvent e) => On(e);

    /// <summary>Waits until process <paramref name="p"/> has ended.</summary>
    public static implicit operator Await(Process p) => On(p);
}

/// <summary>
/// Something a process can wait on. The kernel calls <see cref="TryAttach"/> when a process
/// yields an <see cref="Await"/> naming it; the waitable either satisfies the wait at once
/// or keeps the process and later calls <see cref="Process.Resume"/>.
/// </summary>
public interface IWaitable
{
    /// <summary>Satisfies the wait now and returns true, or parks the process and returns false.</summary>
    bool TryAttach(Process process, in Await request);

    /// <summary>Forgets a parked process (it was interrupted).</summary>
    void Detach(Process process);
}
