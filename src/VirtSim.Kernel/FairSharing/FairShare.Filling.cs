namespace VirtSim.Kernel.FairSharing;

// Progressive filling over one component: the max-min rates, recomputed from scratch for the component a change touched.
public sealed partial class FairShare
{
    /// <summary>
    /// Collects the component of <paramref name="seed"/> into the component lists, in the order a
    /// breadth-first walk finds them. With <paramref name="startFill"/>, each is also made ready
    /// for a filling as it is found, so the filling needs no passes of its own to start: an
    /// activity's work is brought to <paramref name="now"/> and it leaves the heap, at rate zero
    /// and rising, its weight counted on each of its resources, its cap (if any) noted as a level;
    /// a resource is full and nothing drawn on it yet. (At ten thousand flows each pass over the
    /// activities is thousands of cache misses.)
    /// </summary>
    private void CollectComponent(SharedResource seed, bool startFill = false, double now = 0)
    {
        var resources = _componentResources;
        var activities = _componentActivities;
        resources.Clear();
        activities.Clear();
        _capCount = 0;
        Discover(seed, startFill);
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
                if (startFill)
                {
                    AdvanceTo(activity, now);
                    if (activity.HeapIndex >= 0)
                    {
                        HeapRemove(activity);
                    }
                    activity.Frozen = false;
                    activity.RateValue = 0;
                    if (!double.IsPositiveInfinity(activity.RateCap))
                    {
                        NoteCap(activity, activities.Count - 1);
                    }
                }
                for (int k = 0; k < activity.UsageCount; k++)
                {
                    ref var usage = ref activity.Usages[k];
                    var next = usage.Resource;
                    if (next.Visit != _visit)
                    {
                        Discover(next, startFill);
                    }
                    if (startFill)
                    {
                        next.FillWeight += usage.Weight * activity.Share;
                        next.FillUsers++;
                    }
                }
            }
        }
    }

    private void NoteCap(Activity activity, int index)
    {
        EnsureCapacity(ref _capLevels, _capCount + 1);
        EnsureCapacity(ref _capOrder, _capCount + 1);
        _capLevels[_capCount] = activity.RateCap / activity.Share;
        _capOrder[_capCount++] = index;
    }

    private void Discover(SharedResource resource, bool startFill)
    {
        resource.Visit = _visit;
        _componentResources.Add(resource);
        if (startFill)
        {
            resource.FillRemaining = resource.Capacity;
            resource.FillWeight = 0;
            resource.FillUsers = 0;
            resource.FillLevel = 0;
            resource.FillHeapIndex = -1;
        }
    }

    private void RecomputeComponent(SharedResource seed)
    {
        double now = Simulation.Now;
        CollectComponent(seed, startFill: true, now);
        var resources = _componentResources;
        var activities = _componentActivities;
        if (activities.Count >= ClockAbove && ClocksAllowed && AllAlike(resources.Count, activities))
        {
            // Many activities, each using every resource of the component with one weight on all: a virtual clock from now on.
            EnterClock(resources, activities);
            return;
        }

        _fillNow = now;
        _earliest = null;
        _earliestTied = 0;
        if (LevelFillAllowed && (resources.Count >= LevelFillResources || activities.Count >= LevelFillActivities))
        {
            FillByLevels(resources, activities);
        }
        else
        {
            Fill(resources, activities);
        }

        if (_earliest is { } first && !double.IsPositiveInfinity(first.FinishTime))
        {
            first.SharesFinishTime = _earliestTied > 1;
            HeapPush(first);
        }
        _earliest = null;
    }

    /// <summary>
    /// An activity's rate is final: its finish time follows, and the component's earliest
    /// finisher is kept (the lowest id among those tied, and how many are tied).
    /// </summary>
    private void Settled(Activity activity)
    {
        SetFinishTime(activity, _fillNow);
        if (_earliest is null || activity.FinishTime < _earliest.FinishTime)
        {
            _earliest = activity;
            _earliestTied = 1;
        }
        else if (activity.FinishTime == _earliest.FinishTime)
        {
            _earliestTied++;
            if (activity.Id < _earliest.Id)
            {
                _earliest = activity;
            }
        }
    }

    private static void AdvanceTo(Activity activity, double now)
    {
        double progress = activity.RateValue * (now - activity.LastUpdate);
        double remaining = activity.Remaining - progress;
        // Snap rounding residue to zero so that work due now finishes now.
        activity.Remaining = remaining <= Tolerance * activity.Remaining ? 0 : remaining;
        activity.LastUpdate = now;
    }

    private static void SetFinishTime(Activity activity, double now)
    {
        activity.FinishTime = activity.Remaining == 0 ? now
            : activity.RateValue > 0 ? now + activity.Remaining / activity.RateValue
            : double.PositiveInfinity;
    }

    /// <summary>
    /// Progressive filling, over a component collected and started by
    /// <see cref="CollectComponent"/>: raise every unfrozen activity's rate in proportion to its
    /// share until a resource is used up or an activity reaches its cap; freeze those activities;
    /// repeat.
    /// </summary>
    private void Fill(List<SharedResource> resources, List<Activity> activities)
    {
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

    private void Freeze(Activity activity, double level)
    {
        activity.Frozen = true;
        activity.RateValue = Math.Min(activity.Share * level, activity.RateCap);
        Settled(activity);
        for (int k = 0; k < activity.UsageCount; k++)
        {
            ref var usage = ref activity.Usages[k];
            usage.Resource.FillWeight = Math.Max(0, usage.Resource.FillWeight - usage.Weight * activity.Share);
            usage.Resource.FillUsers--;
        }
    }
}
