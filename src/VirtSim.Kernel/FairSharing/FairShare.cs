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
/// changes) recomputes only the component it touches. Each component keeps one representative,
/// its earliest-finishing activity, in a heap; only the earliest of those is scheduled as an
/// event of the simulation, so thousands of concurrent activities cost one pending event.
/// </remarks>
public sealed class FairShare : Wakeable
{
    // A share of capacity below this fraction counts as used up; absorbs rounding in the filling.
    private const double Tolerance = 1e-12;

    private readonly List<SharedResource> _resources = [];
    private readonly List<SharedResource> _componentResources = [];
    private readonly List<Activity> _componentActivities = [];
    private Activity[] _heap = new Activity[16];
    private int _heapCount;
    private int _visit;
    private int _activities;
    private long _wakeSeq = -1;
    private double _wakeTime = double.PositiveInfinity;

    /// <summary>Creates an engine that schedules its completions in <paramref name="simulation"/>.</summary>
    public FairShare(Simulation simulation) =>
        Simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));

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
        for (int i = 0; i < activity.UsageCount; i++)
        {
            ref var usage = ref activity.Usages[i];
            usage.Slot = usage.Resource.AddUser(activity);
        }
        _visit++;
        if (activity.UsageCount == 0)
        {
            activity.Rate = activity.RateCap;
            SetFinishTime(activity, now);
            HeapPush(activity);
        }
        else
        {
            // Every resource of the activity is in one component now: one recomputation suffices.
            RecomputeComponent(activity.Usages[0].Resource);
        }
        Reschedule();
    }

    internal void Remove(Activity activity)
    {
        Detach(activity);
        Reschedule();
    }

    internal void Recompute(SharedResource resource)
    {
        _visit++;
        RecomputeComponent(resource);
        Reschedule();
    }

    /// <summary>Recomputes every component from scratch; the incremental result must equal it.</summary>
    internal void RecomputeAll()
    {
        _visit++;
        foreach (var resource in _resources)
        {
            if (resource.Visit != _visit)
            {
                RecomputeComponent(resource);
            }
        }
        Reschedule();
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
        double now = Simulation.Now;
        while (_heapCount > 0 && _heap[0].FinishTime <= now)
        {
            var done = _heap[0];
            Detach(done);
            done.Finish();
        }
        Reschedule();
    }

    private void Detach(Activity activity)
    {
        if (activity.HeapIndex >= 0)
        {
            HeapRemove(activity);
        }
        for (int i = 0; i < activity.UsageCount; i++)
        {
            ref var usage = ref activity.Usages[i];
            usage.Resource.RemoveUserAt(usage.Slot);
            usage.Slot = -1;
        }
        // The component may have split; recompute each piece that is left.
        _visit++;
        for (int i = 0; i < activity.UsageCount; i++)
        {
            var resource = activity.Usages[i].Resource;
            if (resource.Visit != _visit)
            {
                RecomputeComponent(resource);
            }
        }
    }

    private void RecomputeComponent(SharedResource seed)
    {
        var resources = _componentResources;
        var activities = _componentActivities;
        resources.Clear();
        activities.Clear();
        seed.Visit = _visit;
        resources.Add(seed);
        for (int r = 0; r < resources.Count; r++)
        {
            var resource = resources[r];
            for (int u = 0; u < resource.UserCount; u++)
            {
                var activity = resource.Users[u];
                if (activity.Visit == _visit)
                {
                    continue;
                }
                activity.Visit = _visit;
                activities.Add(activity);
                for (int k = 0; k < activity.UsageCount; k++)
                {
                    var next = activity.Usages[k].Resource;
                    if (next.Visit != _visit)
                    {
                        next.Visit = _visit;
                        resources.Add(next);
                    }
                }
            }
        }

        double now = Simulation.Now;
        foreach (var activity in activities)
        {
            AdvanceTo(activity, now);
            if (activity.HeapIndex >= 0)
            {
                HeapRemove(activity);
            }
        }

        Fill(resources, activities);

        Activity? first = null;
        foreach (var activity in activities)
        {
            SetFinishTime(activity, now);
            if (first is null || Earlier(activity, first))
            {
                first = activity;
            }
        }
        if (first is not null && !double.IsPositiveInfinity(first.FinishTime))
        {
            HeapPush(first);
        }
    }

    private static void AdvanceTo(Activity activity, double now)
    {
        double progress = activity.Rate * (now - activity.LastUpdate);
        double remaining = activity.Remaining - progress;
        // Snap rounding residue to zero so that work due now finishes now.
        activity.Remaining = remaining <= Tolerance * activity.Remaining ? 0 : remaining;
        activity.LastUpdate = now;
    }

    private static void SetFinishTime(Activity activity, double now)
    {
        activity.FinishTime = activity.Remaining == 0 ? now
            : activity.Rate > 0 ? now + activity.Remaining / activity.Rate
            : double.PositiveInfinity;
    }

    /// <summary>
    /// Progressive filling: raise every unfrozen activity's rate in proportion to its share until
    /// a resource is used up or an activity reaches its cap; freeze those activities; repeat.
    /// </summary>
    private static void Fill(List<SharedResource> resources, List<Activity> activities)
    {
        foreach (var resource in resources)
        {
            resource.FillRemaining = resource.Capacity;
            resource.FillWeight = 0;
            resource.FillUsers = 0;
        }
        foreach (var activity in activities)
        {
            activity.Frozen = false;
            activity.Rate = 0;
            for (int k = 0; k < activity.UsageCount; k++)
            {
                ref var usage = ref activity.Usages[k];
                usage.Resource.FillWeight += usage.Weight * activity.Share;
                usage.Resource.FillUsers++;
            }
        }

        int unfrozen = activities.Count;
        double level = 0;
        while (unfrozen > 0)
        {
            double step = double.PositiveInfinity;
            SharedResource? bottleneck = null;
            foreach (var resource in resources)
            {
                if (resource.FillUsers > 0 && resource.FillRemaining / resource.FillWeight < step)
                {
                    step = resource.FillRemaining / resource.FillWeight;
                    bottleneck = resource;
                }
            }
            foreach (var activity in activities)
            {
                if (!activity.Frozen && activity.RateCap / activity.Share - level < step)
                {
                    step = activity.RateCap / activity.Share - level;
                    bottleneck = null;
                }
            }
            step = Math.Max(step, 0);
            level += step;
            foreach (var resource in resources)
            {
                if (resource.FillUsers > 0)
                {
                    resource.FillRemaining -= step * resource.FillWeight;
                }
            }
            if (bottleneck is not null)
            {
                bottleneck.FillRemaining = 0;
            }

            int before = unfrozen;
            foreach (var activity in activities)
            {
                if (!activity.Frozen && ShouldFreeze(activity, level))
                {
                    Freeze(activity, level);
                    unfrozen--;
                }
            }
            if (unfrozen == before)
            {
                // Rounding left nothing exactly saturated: what remains is held at this level.
                foreach (var activity in activities)
                {
                    if (!activity.Frozen)
                    {
                        Freeze(activity, level);
                    }
                }
                unfrozen = 0;
            }
        }
    }

    private static bool ShouldFreeze(Activity activity, double level)
    {
        if (activity.RateCap / activity.Share - level <= Tolerance * level)
        {
            return true;
        }
        for (int k = 0; k < activity.UsageCount; k++)
        {
            var resource = activity.Usages[k].Resource;
            if (resource.FillRemaining <= Tolerance * resource.Capacity)
            {
                return true;
            }
        }
        return false;
    }

    private static void Freeze(Activity activity, double level)
    {
        activity.Frozen = true;
        activity.Rate = Math.Min(activity.Share * level, activity.RateCap);
        for (int k = 0; k < activity.UsageCount; k++)
        {
            ref var usage = ref activity.Usages[k];
            usage.Resource.FillWeight = Math.Max(0, usage.Resource.FillWeight - usage.Weight * activity.Share);
            usage.Resource.FillUsers--;
        }
    }

    private void Reschedule()
    {
        double next = _heapCount > 0 ? _heap[0].FinishTime : double.PositiveInfinity;
        if (next == _wakeTime)
        {
            return;
        }
        _wakeTime = next;
        _wakeSeq = double.IsPositiveInfinity(next) ? -1 : Simulation.ScheduleAt(next, this);
    }

    private static bool Earlier(Activity a, Activity b) =>
        a.FinishTime < b.FinishTime || (a.FinishTime == b.FinishTime && a.Id < b.Id);

    private void HeapPush(Activity activity)
    {
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        activity.HeapIndex = _heapCount;
        _heap[_heapCount++] = activity;
        HeapUp(activity.HeapIndex);
    }

    private void HeapRemove(Activity activity)
    {
        int i = activity.HeapIndex;
        activity.HeapIndex = -1;
        var last = _heap[--_heapCount];
        _heap[_heapCount] = null!;
        if (i < _heapCount)
        {
            _heap[i] = last;
            last.HeapIndex = i;
            HeapDown(i);
            HeapUp(last.HeapIndex);
        }
    }

    private void HeapUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Earlier(_heap[i], _heap[parent]))
            {
                return;
            }
            Swap(i, parent);
            i = parent;
        }
    }

    private void HeapDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, best = i;
            if (left < _heapCount && Earlier(_heap[left], _heap[best]))
            {
                best = left;
            }
            if (left + 1 < _heapCount && Earlier(_heap[left + 1], _heap[best]))
            {
                best = left + 1;
            }
            if (best == i)
            {
                return;
            }
            Swap(i, best);
            i = best;
        }
    }

    private void Swap(int i, int j)
    {
        (_heap[i], _heap[j]) = (_heap[j], _heap[i]);
        _heap[i].HeapIndex = i;
        _heap[j].HeapIndex = j;
    }
}
