namespace VirtSim.Kernel.FairSharing;

// Components shared by a virtual clock: entering, leaving, rebalancing (see VirtualClock).
public sealed partial class FairShare
{
    private void MarkDirty(VirtualClock clock)
    {
        if (!clock.Dirty)
        {
            clock.Dirty = true;
            _clocksDirty.Add(clock);
        }
    }

    /// <summary>Brings a clock's rates up to date and enters its first finisher in the heap.</summary>
    private void Rebalance(VirtualClock clock)
    {
        double now = Simulation.Now;
        if (clock.Representative is { HeapIndex: >= 0 } old && old.Clock == clock)
        {
            HeapRemove(old);
        }
        var first = clock.Rebalance(now, out double finish);
        clock.Representative = first;
        if (first is not null && !double.IsPositiveInfinity(finish))
        {
            first.FinishTime = finish;
            HeapPush(first);
        }
    }

    /// <summary>The activities of a component that all use its <paramref name="resources"/> alike move onto a virtual clock.</summary>
    private void EnterClock(List<SharedResource> resources, List<Activity> activities)
    {
        double now = Simulation.Now;
        var clock = new VirtualClock(resources, now);
        foreach (var resource in resources)
        {
            resource.Clock = clock;
        }
        foreach (var activity in activities)
        {
            AdvanceTo(activity, now);
            if (activity.HeapIndex >= 0)
            {
                HeapRemove(activity);
            }
            clock.Insert(activity, activity.Remaining);
        }
        Rebalance(clock);
    }

    /// <summary>
    /// The activities of <paramref name="resource"/>'s clock go back to explicit work and rates
    /// (as at this instant) and the resource to the plain pass, marked for recomputation unless
    /// the caller recomputes it itself.
    /// </summary>
    private void LeaveClock(SharedResource resource, bool markDirty)
    {
        var clock = resource.Clock!;
        double now = Simulation.Now;
        clock.Advance(now);
        if (clock.Representative is { HeapIndex: >= 0 } representative && representative.Clock == clock)
        {
            HeapRemove(representative);
        }
        _leaving.Clear();
        clock.CopyActivities(_leaving);
        foreach (var activity in _leaving)
        {
            activity.Remaining = clock.RemainingOf(activity, now);
            activity.RateValue = clock.RateOf(activity);
            activity.LastUpdate = now;
            clock.Remove(activity);
        }
        _leaving.Clear();
        foreach (var member in clock.Resources)
        {
            member.Clock = null;
        }
        clock.Representative = null;
        if (markDirty)
        {
            MarkDirty(resource);
        }
    }

    private static bool AllAlike(int resources, List<Activity> activities)
    {
        foreach (var activity in activities)
        {
            if (!VirtualClock.Admits(activity, resources, clock: null))
            {
                return false;
            }
        }
        return true;
    }
}
