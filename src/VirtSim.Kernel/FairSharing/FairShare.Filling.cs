namespace VirtSim.Kernel.FairSharing;

// Progressive filling over one component: the max-min rates, recomputed from scratch for the component a change touched.
public sealed partial class FairShare
{
    private void CollectComponent(SharedResource seed)
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
    }

    private void RecomputeComponent(SharedResource seed)
    {
        CollectComponent(seed);
        var resources = _componentResources;
        var activities = _componentActivities;
        if (activities.Count >= ClockAbove && ClocksAllowed && AllAlike(resources.Count, activities))
        {
            // Many activities, each using every resource of the component with one weight on all: a virtual clock from now on.
            EnterClock(resources, activities);
            return;
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

        if (LevelFillAllowed && (resources.Count >= LevelFillResources || activities.Count >= LevelFillActivities))
        {
            FillByLevels(resources, activities);
        }
        else
        {
            Fill(resources, activities);
        }

        Activity? first = null;
        int tied = 0;
        foreach (var activity in activities)
        {
            SetFinishTime(activity, now);
            if (first is null || activity.FinishTime < first.FinishTime)
            {
                first = activity;
                tied = 1;
            }
            else if (activity.FinishTime == first.FinishTime)
            {
                tied++;
                if (activity.Id < first.Id)
                {
                    first = activity;
                }
            }
        }
        if (first is not null && !double.IsPositiveInfinity(first.FinishTime))
        {
            first.SharesFinishTime = tied > 1;
            HeapPush(first);
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
    /// Progressive filling: raise every unfrozen activity's rate in proportion to its share until
    /// a resource is used up or an activity reaches its cap; freeze those activities; repeat.
    /// </summary>
    private static void Fill(List<SharedResource> resources, List<Activity> activities)
    {
        StartFill(resources, activities);

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

    /// <summary>Every resource full and nothing drawn on it yet; every activity at rate zero, its weight on each of its resources counted.</summary>
    private static void StartFill(List<SharedResource> resources, List<Activity> activities)
    {
        foreach (var resource in resources)
        {
            resource.FillRemaining = resource.Capacity;
            resource.FillWeight = 0;
            resource.FillUsers = 0;
            resource.FillLevel = 0;
            resource.FillHeapIndex = -1;
        }
        foreach (var activity in activities)
        {
            activity.Frozen = false;
            activity.RateValue = 0;
            for (int k = 0; k < activity.UsageCount; k++)
            {
                ref var usage = ref activity.Usages[k];
                usage.Resource.FillWeight += usage.Weight * activity.Share;
                usage.Resource.FillUsers++;
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
        activity.RateValue = Math.Min(activity.Share * level, activity.RateCap);
        for (int k = 0; k < activity.UsageCount; k++)
        {
            ref var usage = ref activity.Usages[k];
            usage.Resource.FillWeight = Math.Max(0, usage.Resource.FillWeight - usage.Weight * activity.Share);
            usage.Resource.FillUsers--;
        }
    }
}
