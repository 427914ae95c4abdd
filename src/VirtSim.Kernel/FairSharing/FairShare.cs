namespace VirtSim.Kernel.FairSharing;

/// <summary>
/// The fair-sharing engine: shared resources with capacities, activities with remaining work,
/// and rates given by the max-min fair allocation (progressive filling, weighted by each
/// activity's share, bounded by each activity's rate cap). CPU processor sharing, a VM's vCPU
/// cap, disk bandwidth and transfers over network links all map onto it.
/// </summary>
/// <remarks>
/// The max-min allocation splits over the connected components of the graph that links
/// activities to the resources they use, so a change (an activity starts or ends, a capacity
/// changes) recomputes only the component it touches. Changes made at one instant are batched:
/// they mark their component, and one recomputation runs when the instant ends, before the clock
/// moves on (or earlier, when a rate is read), so 20,000 transfers starting together through one link cost one pass, not
/// 20,000. Each component keeps one representative, its earliest-finishing activity, in a heap;
/// only the earliest of those is scheduled as an event of the simulation, and every activity of
/// a component that finishes at that instant completes in the same batch.
/// <para>
/// A component whose activities all use all of its resources, each with one weight on all of them
/// (one resource and its activities; a VM's requests on the host's CPU and the VM's vCPUs), is
/// shared by a <see cref="VirtualClock"/> once it holds <see cref="ClockAbove"/> activities or
/// more: a start or an end then costs O(log n) instead of a pass over the component. It leaves
/// clock mode when an activity that uses its resources otherwise joins, or when it falls below
/// <see cref="ClockBelow"/>.
/// Both give the max-min rates; a randomized test holds them equal.
/// </para>
/// <para>
/// Other components (a network: flows over several links) are recomputed by progressive filling;
/// a large one is filled by levels (<see cref="FillByLevels"/>: a heap of the levels at which
/// resources run out), O((A·k + R) log R) instead of a pass over all of it per bottleneck.
/// </para>
/// </remarks>
public sealed partial class FairShare : Wakeable
{
    // A share of capacity below this fraction counts as used up; absorbs rounding in the filling.
    private const double Tolerance = 1e-12;

    private readonly List<SharedResource> _resources = [];
    private readonly List<SharedResource> _componentResources = [];
    private readonly List<Activity> _componentActivities = [];
    private readonly List<SharedResource> _dirty = [];
    private readonly List<VirtualClock> _clocksDirty = [];
    private readonly List<Activity> _leaving = [];

    /// <summary>Activities on one resource from which it is shared by a virtual clock (measured: below it, the plain pass is as fast).</summary>
    internal const int ClockAbove = 32;

    /// <summary>Activities below which a clock's resource goes back to the plain pass.</summary>
    internal const int ClockBelow = 8;

    /// <summary>Whether single-resource components may use a virtual clock (tests turn it off to compare).</summary>
    internal bool ClocksAllowed { get; set; } = true;

    /// <summary>Whether large components may be filled by levels (tests turn it off to compare with the plain pass).</summary>
    internal bool LevelFillAllowed { get; set; } = true;
    private readonly List<Activity> _due = [];
    // While a component is filled: the instant, and its earliest finisher so far (see Settled).
    private double _fillNow;
    private Activity? _earliest;
    private int _earliestTied;
    private Activity[] _heap = new Activity[16];
    private int _heapCount;
    private int _visit;
    private int _activities;
    private long _wakeSeq = -1;
    private double _wakeTime = double.PositiveInfinity;
    private bool _inWake;
    private bool _settleRequested;
    private readonly Action _settle;

    /// <summary>Creates an engine that schedules its completions in <paramref name="simulation"/>.</summary>
    public FairShare(Simulation simulation)
    {
        Simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
        _settle = SettleAtEndOfInstant;
    }

    /// <summary>The simulation whose clock drives the work.</summary>
    public Simulation Simulation { get; }

    /// <summary>Adds a resource of <paramref name="capacity"/> units of work per second.</summary>
    public SharedResource AddResource(double capacity, string name)
    {
        CheckCapacity(capacity);
        ArgumentNullException.ThrowIfNull(name);
        var resource = new SharedResource(this, capacity, name);
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Creates an idle activity; declare its resources with <see cref="Activity.Uses"/>, then start it.</summary>
    public Activity CreateActivity() => new(this, _activities++);

    internal static void CheckCapacity(double capacity)
    {
        if (!(capacity >= 0) || double.IsInfinity(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A capacity must be finite, zero or more.");
        }
    }

    internal void Add(Activity activity)
    {
        double now = Simulation.Now;
        activity.LastUpdate = now;
        if (activity.UsageCount > 0 && activity.Usages[0].Resource.Clock is { } clock && clock.Admits(activity))
        {
            // One more on a clock's resources: O(log n).
            for (int i = 0; i < activity.UsageCount; i++)
            {
                ref var usage = ref activity.Usages[i];
                usage.Slot = usage.Resource.AddUser(activity);
            }
            clock.Advance(now);
            clock.Insert(activity, activity.Remaining);
            MarkDirty(clock);
            RescheduleUnlessWaking();
            return;
        }
        for (int i = 0; i < activity.UsageCount; i++)
        {
            if (activity.Usages[i].Resource.Clock is not null)
            {
                // It uses the clock's resources otherwise than its activities do: progressive filling again.
                LeaveClock(activity.Usages[i].Resource, markDirty: true);
            }
        }
        for (int i = 0; i < activity.UsageCount; i++)
        {
            ref var usage = ref activity.Usages[i];
            usage.Slot = usage.Resource.AddUser(activity);
        }
        if (activity.UsageCount == 0)
        {
            // Bound only by its own cap: a component of its own, settled at once.
            activity.RateValue = activity.RateCap;
            SetFinishTime(activity, now);
            activity.SharesFinishTime = false;
            HeapPush(activity);
        }
        else
        {
            // Every resource of the activity is in one component now: one seed suffices.
            MarkDirty(activity.Usages[0].Resource);
        }
        RescheduleUnlessWaking();
    }

    internal void Remove(Activity activity)
    {
        Flush();
        Detach(activity);
        RescheduleUnlessWaking();
    }

    internal void Recompute(SharedResource resource)
    {
        if (resource.Clock is { } clock)
        {
            clock.Advance(Simulation.Now);
            MarkDirty(clock);
        }
        else
        {
            MarkDirty(resource);
        }
        RescheduleUnlessWaking();
    }

    /// <summary>Brings every rate up to date with the changes made so far at this instant.</summary>
    internal void Flush()
    {
        if (_dirty.Count == 0 && _clocksDirty.Count == 0)
        {
            return;
        }
        _visit++;
        // Recomputing never marks anything dirty, so the list is stable while walked.
        foreach (var seed in _dirty)
        {
            seed.Dirty = false;
            if (seed.Visit != _visit && seed.Clock is null)
            {
                RecomputeComponent(seed);
            }
        }
        _dirty.Clear();
        for (int i = 0; i < _clocksDirty.Count; i++)
        {
            var clock = _clocksDirty[i];
            clock.Dirty = false;
            var first = clock.Resources[0];
            if (first.Clock != clock)
            {
                continue;
            }
            if (clock.Count < ClockBelow)
            {
                // Few left: the plain pass again (its recomputation runs in this same flush).
                LeaveClock(first, markDirty: false);
                RecomputeComponent(first);
                continue;
            }
            Rebalance(clock);
        }
        _clocksDirty.Clear();
    }

    /// <summary>Recomputes every component from scratch; the incremental result must equal it.</summary>
    internal void RecomputeAll()
    {
        Flush();
        foreach (var resource in _resources)
        {
            if (resource.Clock is not null)
            {
                LeaveClock(resource, markDirty: false);
            }
        }
        _visit++;
        foreach (var resource in _resources)
        {
            if (resource.Visit != _visit)
            {
                RecomputeComponent(resource);
            }
        }
        RescheduleUnlessWaking();
    }

    /// <inheritdoc />
    protected internal override void Wake(long seq)
    {
        if (seq != _wakeSeq)
        {
            return;
        }
        _wakeSeq = -1;
        _wakeTime = double.PositiveInfinity;
        Settle();
    }

    private void SettleAtEndOfInstant()
    {
        _settleRequested = false;
        Settle();
    }

    /// <summary>Brings rates up to date, completes what is due now, and schedules the next completion.</summary>
    private void Settle()
    {
        _inWake = true;
        try
        {
            while (true)
            {
                Flush();
                double now = Simulation.Now;
                if (_heapCount == 0 || _heap[0].FinishTime > now)
                {
                    break;
                }
                CompleteDue(now);
            }
        }
        finally
        {
            _inWake = false;
        }
        Reschedule();
    }

    /// <summary>
    /// Completes every activity due now and notifies them; what they leave behind and what their
    /// callbacks start is recomputed once, by the next flush.
    /// </summary>
    private void CompleteDue(double now)
    {
        var due = _due;
        while (_heapCount > 0 && _heap[0].FinishTime <= now)
        {
            var representative = _heap[0];
            HeapRemove(representative);
            if (representative.Clock is { } clock)
            {
                clock.CollectDue(now, representative, due);
                MarkDirty(clock);
                continue;
            }
            if (!representative.SharesFinishTime)
            {
                due.Add(representative);
                continue;
            }
            // Others in its component finish at this instant too: they go in the same batch.
            _visit++;
            CollectComponent(representative.Usages[0].Resource);
            foreach (var activity in _componentActivities)
            {
                if (activity.FinishTime <= now)
                {
                    due.Add(activity);
                }
            }
        }
        foreach (var activity in due)
        {
            Detach(activity);
        }
        // Same-instant completions are announced in creation order, whatever the heap's order.
        if (due.Count > 1)
        {
            due.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
        for (int i = 0; i < due.Count; i++)
        {
            due[i].Finish();
        }
        due.Clear();
    }

    private void Detach(Activity activity)
    {
        if (activity.HeapIndex >= 0)
        {
            HeapRemove(activity);
        }
        if (activity.Clock is { } clock)
        {
            clock.Advance(Simulation.Now);
            clock.Remove(activity);
        }
        for (int i = 0; i < activity.UsageCount; i++)
        {
            ref var usage = ref activity.Usages[i];
            if (usage.Resource.Clock is { } resourceClock)
            {
                MarkDirty(resourceClock);
                usage.Resource.RemoveUserAt(usage.Slot);
                usage.Slot = -1;
                continue;
            }
            // Each resource may now head a piece of its own if the component split.
            MarkDirty(usage.Resource);
            usage.Resource.RemoveUserAt(usage.Slot);
            usage.Slot = -1;
        }
    }

    private void MarkDirty(SharedResource resource)
    {
        if (!resource.Dirty)
        {
            resource.Dirty = true;
            _dirty.Add(resource);
        }
    }

    private void RescheduleUnlessWaking()
    {
        if (!_inWake)
        {
            Reschedule();
        }
    }

    private void Reschedule()
    {
        if (_dirty.Count > 0 || _clocksDirty.Count > 0)
        {
            // Pending changes are settled when this instant ends, which also schedules the next completion.
            if (!_settleRequested)
            {
                _settleRequested = true;
                Simulation.AtEndOfInstant(_settle);
            }
            return;
        }
        double next = _heapCount > 0 ? _heap[0].FinishTime : double.PositiveInfinity;
        if (next == _wakeTime)
        {
            return;
        }
        _wakeTime = next;
        _wakeSeq = double.IsPositiveInfinity(next) ? -1 : Simulation.ScheduleAt(next, this);
    }
}
