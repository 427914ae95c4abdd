using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter.Placement;

/// <summary>
/// The hosts a VM may go to (one group, or all), through their hypervisors, in order, indexed so that first fit finds its
/// host in logarithmic time: a segment tree keeps, for every range of hosts, the most free vCPUs
/// and the most free memory of any host in it, and the search skips ranges that cannot fit.
/// </summary>
public sealed class HostPool
{
    private readonly Hypervisor[] _hosts;
    private readonly int[] _maxVcpus;
    private readonly double[] _maxMemory;
    private readonly int _size;

    /// <summary>Indexes <paramref name="hosts"/> in the given order.</summary>
    public HostPool(IReadOnlyList<Hypervisor> hosts)
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
            _maxVcpus[_size + i] = _hosts[i].Host.FreeVcpus;
            _maxMemory[_size + i] = _hosts[i].Host.FreeMemory;
        }
        for (int node = _size - 1; node >= 1; node--)
        {
            Pull(node);
        }
    }

    /// <summary>The hosts, in order.</summary>
    public IReadOnlyList<Hypervisor> Hosts => _hosts;

    /// <summary>Refreshes the index after the reservations of the host at <paramref name="position"/> changed.</summary>
    internal void Update(int position)
    {
        int node = _size + position;
        _maxVcpus[node] = _hosts[position].Host.FreeVcpus;
        _maxMemory[node] = _hosts[position].Host.FreeMemory;
        for (node /= 2; node >= 1; node /= 2)
        {
            Pull(node);
        }
    }

    /// <summary>The host <paramref name="rule"/> chooses for <paramref name="vm"/>; first fit through the index.</summary>
    public Hypervisor? Choose(PlacementRule rule, VmSpec vm) =>
        rule == PlacementRule.FirstFit ? FirstThatAdmits(vm)
            : rule.Choose(_hosts, vm, static (host, vm) => host.CanAdmit(vm), static host => host.Host.FreeVcpus, static host => host.Host.FreeMemory);

    /// <summary>The first host in order whose hypervisor admits <paramref name="vm"/>.</summary>
    public Hypervisor? FirstThatAdmits(VmSpec vm) => _hosts.Length == 0 ? null : Search(1, vm);

    private Hypervisor? Search(int node, VmSpec vm)
    {
        if (_maxVcpus[node] < vm.Vcpus || _maxMemory[node] < vm.MemoryBytes)
        {
            return null;
        }
        if (node >= _size)
        {
            var host = _hosts[node - _size];
            return host.CanAdmit(vm) ? host : null;
        }
        return Search(2 * node, vm) ?? Search(2 * node + 1, vm);
    }

    private void Pull(int node)
    {
        _maxVcpus[node] = Math.Max(_maxVcpus[2 * node], _maxVcpus[2 * node + 1]);
        _maxMemory[node] = Math.Max(_maxMemory[2 * node], _maxMemory[2 * node + 1]);
    }
}
