using VirtSim.Datacenter.Hardware;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter.Placement;

/// <summary>Chooses the host for a VM among those whose hypervisor would admit it.</summary>
public interface IPlacementPolicy
{
    /// <summary>The chosen host, or null when none can admit <paramref name="vm"/>.</summary>
    Host? Choose(VmSpec vm, HostPool pool);
}

/// <summary>The first host, in order, that can admit the VM: packs hosts from the front.</summary>
public sealed class FirstFit : IPlacementPolicy
{
    /// <inheritdoc />
    public Host? Choose(VmSpec vm, HostPool pool) => pool.FirstThatAdmits(vm);
}

/// <summary>
/// The host left with the fewest free vCPUs (then the least free memory) once the VM is placed:
/// fills hosts up and keeps whole hosts free for large VMs.
/// </summary>
public sealed class BestFit : IPlacementPolicy
{
    /// <inheritdoc />
    public Host? Choose(VmSpec vm, HostPool pool) =>
        pool.Best(vm, static (a, b) => a.FreeVcpus != b.FreeVcpus ? a.FreeVcpus < b.FreeVcpus : a.FreeMemory < b.FreeMemory);
}

/// <summary>The host left with the most free vCPUs (then the most free memory): spreads VMs out.</summary>
public sealed class WorstFit : IPlacementPolicy
{
    /// <inheritdoc />
    public Host? Choose(VmSpec vm, HostPool pool) =>
        pool.Best(vm, static (a, b) => a.FreeVcpus != b.FreeVcpus ? a.FreeVcpus > b.FreeVcpus : a.FreeMemory > b.FreeMemory);
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

    /// <summary>The first host in order whose hypervisor admits <paramref name="vm"/>.</summary>
    public Host? FirstThatAdmits(VmSpec vm) => _hosts.Length == 0 ? null : Search(1, vm);

    /// <summary>Among the hosts that admit <paramref name="vm"/>, the one <paramref name="better"/> prefers (first in order on ties).</summary>
    public Host? Best(VmSpec vm, Func<Host, Host, bool> better)
    {
        Host? best = null;
        foreach (var host in _hosts)
        {
            if (host.Hypervisor.CanAdmit(vm) && (best is null || better(host, best)))
            {
                best = host;
            }
        }
        return best;
    }

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
