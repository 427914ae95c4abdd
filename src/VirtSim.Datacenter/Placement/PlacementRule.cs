namespace VirtSim.Datacenter.Placement;

/// <summary>
/// Where a workload goes among the places that would admit it: the host of a VM, the container
/// engine of a pod. One rule for both, so that a scenario means the same by it everywhere.
/// </summary>
public enum PlacementRule
{
    /// <summary>The first place in order with room: packs from the front.</summary>
    FirstFit,

    /// <summary>The place left with the fewest free cores (then the least free memory): fills places up and keeps whole ones free for large workloads.</summary>
    BestFit,

    /// <summary>The place left with the most free cores (then the most free memory): spreads workloads out.</summary>
    WorstFit,
}

/// <summary>The rule applied.</summary>
public static class PlacementRules
{
    /// <summary>
    /// Among <paramref name="candidates"/> (in order) that <paramref name="admits"/> for
    /// <paramref name="workload"/>, the one <paramref name="rule"/> prefers by what each has left
    /// (<paramref name="freeCores"/>, then <paramref name="freeMemory"/>), the first in order on
    /// ties; null when none admits. Pass static lambdas: a placement then allocates nothing.
    /// </summary>
    public static T? Choose<T, TWorkload>(this PlacementRule rule, IReadOnlyList<T> candidates, TWorkload workload,
        Func<T, TWorkload, bool> admits, Func<T, double> freeCores, Func<T, double> freeMemory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(admits);
        ArgumentNullException.ThrowIfNull(freeCores);
        ArgumentNullException.ThrowIfNull(freeMemory);
        T? best = null;
        double bestCores = 0, bestMemory = 0;
        for (int i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            if (!admits(candidate, workload))
            {
                continue;
            }
            if (rule == PlacementRule.FirstFit)
            {
                return candidate;
            }
            double cores = freeCores(candidate), memory = freeMemory(candidate);
            if (best is null || rule.Prefers(cores, memory, bestCores, bestMemory))
            {
                (best, bestCores, bestMemory) = (candidate, cores, memory);
            }
        }
        return best;
    }

    /// <summary>Whether <paramref name="rule"/> prefers a place left with (<paramref name="cores"/>, <paramref name="memory"/>) to one left with the others (never for first fit: order decides).</summary>
    public static bool Prefers(this PlacementRule rule, double cores, double memory, double otherCores, double otherMemory) => rule switch
    {
        PlacementRule.BestFit => cores != otherCores ? cores < otherCores : memory < otherMemory,
        PlacementRule.WorstFit => cores != otherCores ? cores > otherCores : memory > otherMemory,
        _ => false,
    };
}
