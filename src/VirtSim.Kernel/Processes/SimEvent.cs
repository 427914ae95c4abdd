namespace VirtSim.Kernel.Processes;

/// <summary>
/// A one-shot event: it succeeds once, with an optional value, and every process waiting on
/// it resumes (in the order they started waiting). Waiting on an event that has already
/// succeeded continues at once.
/// </summary>
public class SimEvent : IWaitable
{
    private List<Process>? _waiters;
    private List<Action<SimEvent>>? _callbacks;

    /// <summary>Creates an event that has not happened yet.</summary>
    public SimEvent(Simulation simulation)
    {
        Simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
    }

    /// <summary>The simulation the event belongs to.</summary>
    public Simulation Simulation { get; }

    /// <summary>True once the event has succeeded.</summary>
    public bool HasSucceeded { get; private set; }

    /// <summary>The value the event succeeded with.</summary>
    public object? Value { get; private set; }

    /// <summary>Makes the event succeed now, resuming its waiters and running its callbacks.</summary>
    public void Succeed(object? value = null)
    {
        if (HasSucceeded)
        {
            throw new InvalidOperationException("An event succeeds only once.");
        }
        HasSucceeded = true;
        Value = value;
        if (_waiters is { } waiters)
        {
            _waiters = null;
            foreach (var waiter in waiters)
            {
                waiter.Resume(value);
            }
        }
        if (_callbacks is { } callbacks)
        {
            _callbacks = null;
            foreach (var callback in callbacks)
            {
                callback(this);
            }
        }
    }

    /// <summary>Runs <paramref name="callback"/> when the event succeeds (at once if it has).</summary>
    public void OnSucceeded(Action<SimEvent> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (HasSucceeded)
        {
            callback(this);
            return;
        }
        (_callbacks ??= []).Add(callback);
    }

    bool IWaitable.TryAttach(Process process, in Await request)
    {
        if (HasSucceeded)
        {
            process.SetValue(Value);
            return true;
        }
        (_waiters ??= []).Add(process);
        return false;
    }

    void IWaitable.Detach(Process process) => _waiters?.Remove(process);
}

/// <summary>An event that succeeds by itself after a delay.</summary>
internal sealed class TimerEvent : SimEvent
{
    private readonly Alarm _alarm;

    public TimerEvent(Simulation simulation) : base(simulation) => _alarm = new Alarm(this);

    public void Arm(double delay) => Simulation.Schedule(delay, _alarm);

    private sealed class Alarm(TimerEvent owner) : Wakeable
    {
        protected internal override void Wake(long seq) => owner.Succeed();
    }
}

/// <summary>Succeeds when any (or all) of a set of events have succeeded.</summary>
internal sealed class Condition : SimEvent
{
    private int _remaining;

    public Condition(Simulation simulation, SimEvent[] events, bool all) : base(simulation)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Length == 0)
        {
            throw new ArgumentException("A condition needs at least one event.", nameof(events));
        }
        _remaining = all ? events.Length : 1;
        foreach (var e in events)
        {
            e.OnSucceeded(Count);
        }
    }

    private void Count(SimEvent e)
    {
        if (HasSucceeded)
        {
            return;
        }
        if (--_remaining == 0)
        {
            Succeed(e);
        }
    }
}
