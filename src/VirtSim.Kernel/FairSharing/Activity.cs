using VirtSim.Kernel.Processes;

namespace VirtSim.Kernel.FairSharing;

/// <summary>
/// Work that progresses at a rate set by the fair-share engine: a request's CPU demand, a disk
/// read, an image transfer. It uses one or more <see cref="SharedResource"/>s, each with a
/// weight (how much of that resource one unit of progress consumes), may have a rate cap (a
/// single-threaded job cannot use more than one core), and a share (its relative priority when
/// capacity is divided). An activity object is reusable: run it again once it has completed.
/// </summary>
public sealed class Activity : IWaitable
{
    internal struct Usage
    {
        public SharedResource Resource;
        public double Weight;
        public int Slot;
    }

    internal Usage[] Usages = [];
    internal int UsageCount;
    internal double Remaining;
    internal double LastUpdate;
    internal double FinishTime = double.PositiveInfinity;
    internal int HeapIndex = -1;
    internal int Visit;
    internal bool Frozen;
    // Set on a component's representative: another activity of the component finishes at the same time.
    internal bool SharesFinishTime;
    // On a resource shared by a virtual clock (see VirtualClock): the clock, whether the activity
    // runs at its cap, its tag (virtual finish; real finish when capped) and where its current
    // span began, its threshold cap/share, its weight on the resource, and its places in the heaps.
    internal VirtualClock? Clock;
    internal bool Capped;
    internal double Tag;
    internal double SpanStart;
    internal double Threshold;
    internal double ClockWeight;
    internal int FinishSlot = -1;
    internal int ThresholdSlot = -1;
    // The clock whose uncapped-by-threshold heap still holds this activity, taken out of the
    // clock earlier in the instant (see VirtualClock.Remove); null otherwise.
    internal VirtualClock? ThresholdRemovalPendingIn;

    /// <summary>The rate now, without bringing pending changes up to date.</summary>
    internal double CurrentRate => Clock is { } clock ? clock.RateOf(this) : RateValue;
    private double _work;
    private Process? _waiter;

    internal Activity(FairShare owner, int id)
    {
        Owner = owner;
        Id = id;
    }

    /// <summary>Creation order within the engine; breaks ties between equal finish times.</summary>
    internal int Id { get; }

    /// <summary>The engine this activity runs on.</summary>
    public FairShare Owner { get; }

    /// <summary>True from <see cref="Start"/> until the work is done or cancelled.</summary>
    public bool IsRunning { get; private set; }

    internal double RateValue;

    /// <summary>The current rate, in units of work per second.</summary>
    public double Rate
    {
        get
        {
            Owner.Flush();
            return CurrentRate;
        }
    }

    /// <summary>The most this activity may progress per second (infinity: no cap).</summary>
    public double RateCap { get; set; } = double.PositiveInfinity;

    /// <summary>The relative share of this activity when capacity is divided (1 by default).</summary>
    public double Share { get; set; } = 1;

    /// <summary>Called when the work is done, before a waiting process resumes.</summary>
    public Action<Activity>? Completed { get; set; }

    /// <summary>When the current (or last) run started, in simulated seconds.</summary>
    public double StartedAt { get; private set; }

    /// <summary>Work done so far in the current run.</summary>
    public double WorkDone => IsRunning ? _work - RemainingNow() : _work;

    /// <summary>Declares that each unit of progress consumes <paramref name="weight"/> units of <paramref name="resource"/>.</summary>
    public Activity Uses(SharedResource resource, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (IsRunning)
        {
            throw new InvalidOperationException("The resources of a running activity cannot change.");
        }
        if (!ReferenceEquals(resource.Owner, Owner))
        {
            throw new ArgumentException("The resource belongs to another fair-share engine.", nameof(resource));
        }
        if (!(weight > 0) || double.IsInfinity(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight must be finite and positive.");
        }
        for (int i = 0; i < UsageCount; i++)
        {
            if (ReferenceEquals(Usages[i].Resource, resource))
            {
                Usages[i].Weight = weight;
                return this;
            }
        }
        if (UsageCount == Usages.Length)
        {
            Array.Resize(ref Usages, Math.Max(2, Usages.Length * 2));
        }
        Usages[UsageCount++] = new Usage { Resource = resource, Weight = weight, Slot = -1 };
        return this;
    }

    /// <summary>Removes every resource usage, to reuse the activity elsewhere.</summary>
    public void ClearUses()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The resources of a running activity cannot change.");
        }
        Array.Clear(Usages, 0, UsageCount);
        UsageCount = 0;
    }

    /// <summary>Starts <paramref name="work"/> units of work now.</summary>
    public void Start(double work)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The activity is already running.");
        }
        if (!(work >= 0) || double.IsInfinity(work))
        {
            throw new ArgumentOutOfRangeException(nameof(work), work, "Work must be finite, zero or more.");
        }
        if (UsageCount == 0 && double.IsPositiveInfinity(RateCap))
        {
            throw new InvalidOperationException("An activity needs a resource or a rate cap, or it would finish in no time.");
        }
        if (!(Share > 0) || double.IsInfinity(Share))
        {
            throw new InvalidOperationException("An activity's share must be finite and positive.");
        }
        if (!(RateCap > 0))
        {
            throw new InvalidOperationException("A rate cap must be positive.");
        }
        _work = work;
        StartedAt = Owner.Simulation.Now;
        Remaining = work;
        RateValue = 0;
        IsRunning = true;
        Owner.Add(this);
    }

    /// <summary>Starts the work and returns the wait for its completion, to be yielded by a process.</summary>
    public Await Run(double work)
    {
        Start(work);
        return Await.On(this);
    }

    /// <summary>Stops the work now, without completing it; the remaining work is kept in <see cref="WorkDone"/>.</summary>
    public void Cancel()
    {
        if (!IsRunning)
        {
            return;
        }
        _work -= RemainingNow();
        Owner.Remove(this);
        IsRunning = false;
        _waiter = null;
    }

    internal double RateOn(SharedResource resource)
    {
        for (int i = 0; i < UsageCount; i++)
        {
            if (ReferenceEquals(Usages[i].Resource, resource))
            {
                return Usages[i].Weight * CurrentRate;
            }
        }
        return 0;
    }

    internal void MoveSlot(SharedResource resource, int from, int to)
    {
        for (int i = 0; i < UsageCount; i++)
        {
            if (ReferenceEquals(Usages[i].Resource, resource) && Usages[i].Slot == from)
            {
                Usages[i].Slot = to;
                return;
            }
        }
    }

    private double RemainingNow()
    {
        // Rate first: reading it brings pending changes of this instant up to date, which may
        // settle Remaining and LastUpdate; read after it, they agree with the rate.
        double rate = Rate;
        if (Clock is { } clock)
        {
            return clock.RemainingOf(this, Owner.Simulation.Now);
        }
        return Math.Max(0, Remaining - rate * (Owner.Simulation.Now - LastUpdate));
    }

    internal void Finish()
    {
        IsRunning = false;
        Remaining = 0;
        RateValue = 0;
        Completed?.Invoke(this);
        if (_waiter is { } waiter)
        {
            _waiter = null;
            waiter.Resume(this);
        }
    }

    bool IWaitable.TryAttach(Process process, in Await request)
    {
        if (!IsRunning)
        {
            return true;
        }
        if (_waiter is not null)
        {
            throw new InvalidOperationException("Only one process can wait for an activity.");
        }
        _waiter = process;
        return false;
    }

    void IWaitable.Detach(Process process)
    {
        if (ReferenceEquals(_waiter, process))
        {
            _waiter = null;
        }
    }
}
