using VirtSim.Datacenter.Hardware;
using VirtSim.Datacenter.Virtualization;

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

/// <summary>
/// The hosts a VM may go to (one group, or all), in order, indexed so that first fit finds its
/// host in logarithmic time: a segment tree keeps, for every range of hosts, the most free vCPUs
/// and the most free memory of any host in it, and the search skips ranges that cannot fit.
/// </summary>
public sealed class HostPool
{
    private readonly Host[] _hosts;
    private readonly int[] _maxVcpus;
    private readonly double[] _maxMemory;
    private readonly int _size;

    /// <summary>Indexes <paramref name="hosts"/> in the given order.</summary>
    public HostPool(IReadOnlyList<Host> hosts)
    {
        _hosts = [.. hosts];
        _size = 1;
        while (_size < Math.Max(1, _hosts.Length))
        {
            _size *= 2;
        }
        _maxVcpus = new int[2 * _size];
        _maxMemory = new double[2 * _size];
        Array.Fill(_maxVcpus, int.MinValue);
        Array.Fill(_maxMemory, double.NegativeInfinity);
        for (int i = 0; i < _hosts.Length; i++)
        {
            _maxVcpus[_size + i] = _hosts[i].FreeVcpus;
            _maxMemory[_size + i] = _hosts[i].FreeMemory;
        }
        for (int node = _size - 1; node >= 1; node--)
        {
            Pull(node);
        }
    }

    /// <summary>The hosts, in order.</summary>
    public IReadOnlyList<Host> Hosts => _hosts;

    /// <summary>Refreshes the index after the reservations of the host at <paramref name="position"/> changed.</summary>
    internal void Update(int position)
    {
        int node = _size + position;
        _maxVcpus[node] = _hosts[position].FreeVcpus;
        _maxMemory[node] = _hosts[position].FreeMemory;
        for (node /= 2; node >= 1; node /= 2)
        {
            Pull(node);
        }
    }

    /// <summary>The host <paramref name="rule"/> chooses for <paramref name="vm"/>; first fit through the index.</summary>
    public Host? Choose(PlacementRule rule, VmSpec vm) =>
        rule == PlacementRule.FirstFit ? FirstThatAdmits(vm)
            : rule.Choose(_hosts, vm, static (host, vm) => host.Hypervisor.CanAdmit(vm), static host => host.FreeVcpus, static host => host.FreeMemory);

    /// <summary>The first host in order whose hypervisor admits <paramref name="vm"/>.</summary>
    public Host? FirstThatAdmits(VmSpec vm) => _hosts.Length == 0 ? null : Search(1, vm);

    private Host? Search(int node, VmSpec vm)
    {
        if (_maxVcpus[node] < vm.Vcpus || _maxMemory[node] < vm.MemoryBytes)
        {
            return null;
        }
        if (node >= _size)
        {
            var host = _hosts[node - _size];
            return host.Hypervisor.CanAdmit(vm) ? host : null;
        }
        return Search(2 * node, vm) ?? Search(2 * node + 1, vm);
    }

    private void Pull(int node)
    {
        _maxVcpus[node] = Math.Max(_maxVcpus[2 * node], _maxVcpus[2 * node + 1]);
        _maxMemory[node] = Math.Max(_maxMemory[2 * node], _maxMemory[2 * node + 1]);
    }
}
