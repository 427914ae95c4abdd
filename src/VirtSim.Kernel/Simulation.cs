using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;

namespace VirtSim.Kernel;

/// <summary>
/// One simulation run: the clock, the future event list and the random streams. A run is
/// single-threaded and fully determined by its seed: events at equal times fire in the order
/// they were scheduled. Parallelism belongs across runs (replications), never inside one.
/// </summary>
public sealed class Simulation
{
    private readonly EventQueue _queue = new();
    private long _nextSeq;
    private bool _stopRequested;
    private Action?[] _endOfInstant = new Action?[4];
    private Action?[] _endOfInstantSpare = new Action?[4];
    private int _endOfInstantCount;

    /// <summary>Creates a run whose random streams all derive from <paramref name="seed"/>.</summary>
    public Simulation(ulong seed = 0)
    {
        Seed = seed;
        Streams = new RandomStreams(seed);
    }

    /// <summary>The master seed of this run.</summary>
    public ulong Seed { get; }

    /// <summary>The current simulated time, in seconds.</summary>
    public double Now { get; private set; }

    /// <summary>How many events have fired so far.</summary>
    public long EventsProcessed { get; private set; }

    /// <summary>How many events are scheduled and not yet fired (stale, cancelled ones included).</summary>
    public int PendingEvents => _queue.Count;

    /// <summary>Named random streams derived from the master seed.</summary>
    public RandomStreams Streams { get; }

    /// <summary>The process whose body is executing right now, or null between events.</summary>
    public Process? ActiveProcess { get; internal set; }

    /// <summary>Schedules <paramref name="target"/> to be woken after <paramref name="delay"/> seconds.</summary>
    /// <returns>The sequence number the wake will carry.</returns>
    public long Schedule(double delay, Wakeable target)
    {
        CheckDelay(delay);
        long seq = _nextSeq++;
        _queue.Push(Now + delay, seq, target);
        return seq;
    }

    /// <summary>Schedules <paramref name="target"/> at the absolute time <paramref name="time"/>, exactly.</summary>
    internal long ScheduleAt(double time, Wakeable target)
    {
        if (!(time >= Now) || double.IsPositiveInfinity(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "An event cannot be scheduled in the past.");
        }
        long seq = _nextSeq++;
        _queue.Push(time, seq, target);
        return seq;
    }

    /// <summary>Calls <paramref name="action"/> after <paramref name="delay"/> seconds.</summary>
    public void Schedule(double delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckDelay(delay);
        _queue.Push(Now + delay, _nextSeq++, action);
    }

    /// <summary>Starts a process now; its first step runs as an event at the current time.</summary>
    public Process Start(IEnumerable<Await> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var process = new Process(this, body.GetEnumerator());
        process.ScheduleFirstStep();
        return process;
    }

    /// <summary>Starts a process whose body needs a handle on itself (to read interrupts, say).</summary>
    public Process Start(Func<Process, IEnumerable<Await>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var process = new Process(this, null);
        process.SetBody(body(process).GetEnumerator());
        process.ScheduleFirstStep();
        return process;
    }

    /// <summary>A wait of <paramref name="delay"/> seconds, to be yielded by a process.</summary>
    public Await Delay(double delay)
    {
        CheckDelay(delay);
        return new Await(null, delay, 0);
    }

    /// <summary>An event that succeeds by itself after <paramref name="delay"/> seconds.</summary>
    public SimEvent Timer(double delay)
    {
        var timer = new TimerEvent(this);
        timer.Arm(delay);
        return timer;
    }

    /// <summary>An event that succeeds when the first of <paramref name="events"/> does; its value is that event.</summary>
    public SimEvent AnyOf(params SimEvent[] events) => new Condition(this, events, all: false);

    /// <summary>An event that succeeds when all of <paramref name="events"/> have.</summary>
    public SimEvent AllOf(params SimEvent[] events) => new Condition(this, events, all: true);

    /// <summary>
    /// Runs <paramref name="action"/> once, when the current instant ends: after the last event
    /// due at the current time and before the clock moves on. Lets a component batch every
    /// change made at one instant (the fair-share engine recomputes rates there). Registering
    /// again from inside such an action runs it again at the same instant.
    /// </summary>
    public void AtEndOfInstant(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_endOfInstantCount == _endOfInstant.Length)
        {
            Array.Resize(ref _endOfInstant, _endOfInstantCount * 2);
        }
        _endOfInstant[_endOfInstantCount++] = action;
    }

    private void EndInstant()
    {
        var actions = _endOfInstant;
        int count = _endOfInstantCount;
        (_endOfInstant, _endOfInstantSpare) = (_endOfInstantSpare, _endOfInstant);
        _endOfInstantCount = 0;
        for (int i = 0; i < count; i++)
        {
            var action = actions[i]!;
            actions[i] = null;
            action();
        }
    }

    /// <summary>Asks the running loop to return after the current event.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Processes events in time order until none are left or the next one lies after
    /// <paramref name="until"/> (either way the clock then reads a finite <paramref name="until"/>),
    /// <paramref name="maxEvents"/> have fired in this call, the token is cancelled, or
    /// <see cref="Stop"/> is called. Can be called again to continue.
    /// </summary>
    public StopReason Run(double until = double.PositiveInfinity, long maxEvents = long.MaxValue,
        CancellationToken cancellation = default)
    {
        if (double.IsNaN(until) || until < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "The end time must not lie before the current time.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(maxEvents);
        _stopRequested = false;
        long fired = 0;
        while (true)
        {
            if (_endOfInstantCount > 0 && (_queue.Count == 0 || _queue.Peek().Time > Now))
            {
                EndInstant();
                continue;
            }
            if (_queue.Count == 0)
            {
                // Nothing more can happen before the end: the clock reaches it.
                if (!double.IsPositiveInfinity(until))
                {
                    Now = until;
                }
                return StopReason.NoMoreEvents;
            }
            if (_queue.Peek().Time > until)
            {
                Now = until;
                return StopReason.TimeReached;
            }
            if (fired == maxEvents)
            {
                return StopReason.EventLimitReached;
            }
            // Checking the token costs a volatile read; every 1024 events is prompt enough.
            if ((fired & 1023) == 0 && cancellation.IsCancellationRequested)
            {
                return StopReason.Cancelled;
            }
            var entry = _queue.Pop();
            if (_queue.Count > 0)
            {
                // While this event runs, have the memory fetch what the next ones need: with
                // many events pending it lies anywhere in the heap, and waiting for it dominates.
                _queue.PrefetchAhead();
            }
            Now = entry.Time;
            fired++;
            EventsProcessed++;
            if (entry.Target is Wakeable wakeable)
            {
                wakeable.Wake(entry.Seq);
            }
            else
            {
                ((Action)entry.Target)();
            }
            if (_stopRequested)
            {
                return StopReason.Stopped;
            }
        }
    }

    private static void CheckDelay(double delay)
    {
        if (!(delay >= 0) || double.IsPositiveInfinity(delay))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A delay must be a finite number of seconds, zero or more.");
        }
    }
}
