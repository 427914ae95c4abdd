namespace VirtSim.Kernel.FairSharing;

// Progressive filling driven by levels: the same max-min rates as Fill, in O((A·k + R) log R) for
// A activities using k resources each out of R, instead of a pass over everything per bottleneck.
public sealed partial class FairShare
{
    /// <summary>Components at least this large (resources or activities) are filled by levels (measured: below, the plain pass is faster).</summary>
    internal const int LevelFillResources = 8;

    /// <inheritdoc cref="LevelFillResources"/>
    internal const int LevelFillActivities = 64;

    private SharedResource[] _fillHeap = new SharedResource[16];
    private int _fillHeapCount;
    // The capped activities of the component, found while it was collected: each cap as a level,
    // and the activity's place in the component's list.
    private double[] _capLevels = new double[16];
    private int[] _capOrder = new int[16];
    private int _capCount;

    /// <summary>
    /// The max-min rates by levels, over a component collected and started by
    /// <see cref="CollectComponent"/>. Each resource with users knows the level at which it runs
    /// out (remaining capacity over the weight still rising); a heap gives the next one. The
    /// activities' caps, as levels, are sorted once. The filling jumps from one to the next: a
    /// resource that runs out freezes its rising activities at that level, a cap its activity; a
    /// frozen activity stops drawing on its other resources, whose levels rise. A risen level is
    /// put right in the heap only when its resource comes to the top (see
    /// <see cref="SettleFillHeapTop"/>): most resources change many times before that, and moving
    /// each at every change was a third of the time at ten thousand flows.
    /// </summary>
    internal void FillByLevels(List<SharedResource> resources, List<Activity> activities)
    {
        _fillHeapCount = 0;
        int caps = _capCount;
        Array.Sort(_capLevels, _capOrder, 0, caps);
        EnsureCapacity(ref _fillHeap, resources.Count);
        foreach (var resource in resources)
        {
            if (resource.FillUsers > 0)
            {
                resource.FillKey = RunsOutAt(resource);
                FillHeapPush(resource);
            }
        }

        int unfrozen = activities.Count;
        int nextCap = 0;
        double level = 0;
        while (unfrozen > 0)
        {
            while (nextCap < caps && activities[_capOrder[nextCap]].Frozen)
            {
                nextCap++;
            }
            double capLevel = nextCap < caps ? _capLevels[nextCap] : double.PositiveInfinity;
            double resourceLevel = SettleFillHeapTop() ? _fillHeap[0].FillKey : double.PositiveInfinity;
            level = Math.Max(level, Math.Min(capLevel, resourceLevel));
            if (double.IsPositiveInfinity(level))
            {
                // Nothing limits what remains (weights of zero, no caps): unbounded, as the plain pass gives.
                foreach (var activity in activities)
                {
                    if (!activity.Frozen)
                    {
                        FreezeAtLevel(activity, level);
                    }
                }
                break;
            }
            // Caps reached at this level, within the plain pass's tolerance.
            while (nextCap < caps && _capLevels[nextCap] - level <= Tolerance * level)
            {
                var capped = activities[_capOrder[nextCap++]];
                if (!capped.Frozen)
                {
                    FreezeAtLevel(capped, level);
                    unfrozen--;
                }
            }
            // Resources used up at this level: every activity still rising through them stops here.
            while (SettleFillHeapTop() && UsedUpAt(_fillHeap[0], level))
            {
                var full = _fillHeap[0];
                FillHeapRemoveFirst();
                full.FillRemaining = 0;
                full.FillLevel = level;
                for (int u = 0; u < full.UserCount; u++)
                {
                    var activity = full.Users[u];
                    if (!activity.Frozen)
                    {
                        FreezeAtLevel(activity, level);
                        unfrozen--;
                    }
                }
            }
        }
    }

    private static bool UsedUpAt(SharedResource resource, double level) =>
        resource.FillKey <= level
        || resource.FillRemaining - (level - resource.FillLevel) * resource.FillWeight <= Tolerance * resource.Capacity;

    private static double RunsOutAt(SharedResource resource)
    {
        if (resource.FillRemaining <= Tolerance * resource.Capacity)
        {
            return resource.FillLevel;
        }
        return resource.FillWeight > 0 ? resource.FillLevel + resource.FillRemaining / resource.FillWeight : double.PositiveInfinity;
    }

    private void FreezeAtLevel(Activity activity, double level)
    {
        activity.Frozen = true;
        activity.RateValue = Math.Min(activity.Share * level, activity.RateCap);
        Settled(activity);
        for (int k = 0; k < activity.UsageCount; k++)
        {
            ref var usage = ref activity.Usages[k];
            var resource = usage.Resource;
            resource.FillUsers--;
            if (resource.FillHeapIndex < 0)
            {
                continue;   // used up already
            }
            // Bring its remaining capacity to this level, then let it rise more slowly.
            resource.FillRemaining -= (level - resource.FillLevel) * resource.FillWeight;
            resource.FillLevel = level;
            resource.FillWeight = Math.Max(0, resource.FillWeight - usage.Weight * activity.Share);
            // Less weight rising: it runs out no earlier than before. Its key in the heap stays
            // as it was, a lower bound, and is put right only if it comes to the top.
        }
    }

    /// <summary>
    /// Brings the heap's first resource up to date: one that no activity rises through any more
    /// leaves; one whose key is out of date (users of it froze elsewhere since it was set) takes
    /// its level and moves down; until the first is current. Every key is at most its resource's
    /// level and at least the first's, so the first is then the next to run out. False when the
    /// heap is empty.
    /// </summary>
    private bool SettleFillHeapTop()
    {
        while (_fillHeapCount > 0)
        {
            var top = _fillHeap[0];
            if (top.FillUsers == 0)
            {
                FillHeapRemoveFirst();
                continue;
            }
            double key = RunsOutAt(top);
            if (key > top.FillKey)
            {
                top.FillKey = key;
                FillHeapDown(0);
                continue;
            }
            // The same, or lower by rounding: still first. (Any other answer ends the loop too,
            // where a test for equality would spin on a level that is not a number.)
            top.FillKey = key;
            return true;
        }
        return false;
    }

    private static void EnsureCapacity<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            Array.Resize(ref array, Math.Max(count, 2 * array.Length));
        }
    }

    private void FillHeapPush(SharedResource resource)
    {
        int i = _fillHeapCount++;
        _fillHeap[i] = resource;
        resource.FillHeapIndex = i;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (_fillHeap[parent].FillKey <= resource.FillKey)
            {
                break;
            }
            Place(_fillHeap[parent], i);
            i = parent;
        }
        Place(resource, i);
    }

    /// <summary>Takes the first resource out of the heap (the only place one leaves it: keys are put right at the top).</summary>
    private void FillHeapRemoveFirst()
    {
        _fillHeap[0].FillHeapIndex = -1;
        var last = _fillHeap[--_fillHeapCount];
        _fillHeap[_fillHeapCount] = null!;
        if (_fillHeapCount > 0)
        {
            Place(last, 0);
            FillHeapDown(0);
        }
    }

    private void FillHeapDown(int i)
    {
        var resource = _fillHeap[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _fillHeapCount)
            {
                break;
            }
            if (child + 1 < _fillHeapCount && _fillHeap[child + 1].FillKey < _fillHeap[child].FillKey)
            {
                child++;
            }
            if (resource.FillKey <= _fillHeap[child].FillKey)
            {
                break;
            }
            Place(_fillHeap[child], i);
            i = child;
        }
        Place(resource, i);
    }

    private void Place(SharedResource resource, int i)
    {
        _fillHeap[i] = resource;
        resource.FillHeapIndex = i;
    }
}
