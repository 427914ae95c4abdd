using VirtSim.Datacenter.Network;
using VirtSim.Kernel.FairSharing;

namespace VirtSim.Datacenter.Hosting;

/// <summary>
/// A physical machine: its CPU and disk are shared max-min fairly among the work of the VMs on
/// it; memory, vCPUs and disk space are reserved by its hypervisor's admission control.
/// </summary>
public sealed class Host
{
    private double _usedSince = double.NaN;

    internal Host(HostSpec spec, int index, string name, FairShare fairShare, NetworkNode node)
    {
        Spec = spec;
        Index = index;
        Name = name;
        Node = node;
        Cpu = fairShare.AddResource(spec.CpuCapacity, name + ".cpu");
        Disk = fairShare.AddResource(spec.DiskBandwidth, name + ".disk");
    }

    /// <summary>What kind of machine it is.</summary>
    public HostSpec Spec { get; }

    /// <summary>Position among all hosts, from 0.</summary>
    public int Index { get; }

    /// <summary>Name, such as <c>web-3</c>.</summary>
    public string Name { get; }

    /// <summary>Its network interface.</summary>
    public NetworkNode Node { get; }

    /// <summary>CPU capacity, in reference core-seconds per second.</summary>
    public SharedResource Cpu { get; }

    /// <summary>Disk bandwidth, in bytes per second.</summary>
    public SharedResource Disk { get; }

    /// <summary>vCPUs promised to VMs (started, starting or being scrubbed).</summary>
    public int VcpusReserved { get; internal set; }

    /// <summary>Memory promised to VMs, in bytes.</summary>
    public double MemoryReserved { get; internal set; }

    /// <summary>Disk space promised to VMs, in bytes.</summary>
    public double DiskReserved { get; internal set; }

    /// <summary>VMs placed here and not yet freed, plus pods of a bare-metal engine.</summary>
    public int VmCount { get; private set; }

    /// <summary>vCPUs that can still be promised.</summary>
    public int FreeVcpus => (int)Math.Floor(Spec.Cores * Spec.CpuOvercommit) - VcpusReserved;

    /// <summary>Memory that can still be promised, in bytes.</summary>
    public double FreeMemory => Spec.MemoryBytes * Spec.MemoryOvercommit - MemoryReserved;

    /// <summary>Disk space that can still be promised, in bytes.</summary>
    public double FreeDisk => Spec.DiskBytes - Spec.ImageCache - DiskReserved;

    /// <summary>
    /// How much slower memory-bound work runs because memory is overcommitted: the share of
    /// promised memory beyond the physical memory is paged out, and touching it costs
    /// <see cref="PagingPenalty"/> times more.
    /// </summary>
    public double PagingFactor => MemoryReserved <= Spec.MemoryBytes ? 1
        : 1 + PagingPenalty * (MemoryReserved - Spec.MemoryBytes) / MemoryReserved;

    /// <summary>
    /// Cost of work on paged-out memory relative to resident memory. Assumed: 10, a page fault
    /// served from a fast SSD amortized over the accesses to that page; no measurement at hand.
    /// </summary>
    public const double PagingPenalty = 10;

    /// <summary>Host CPU consumed so far, in reference core-seconds (for utilization and energy).</summary>
    public double BusyCoreSeconds { get; private set; }

    /// <summary>
    /// Counts <paramref name="work"/> reference core-seconds done on this host at
    /// <paramref name="weight"/> (the hypervisor's and paging's cost): the one place busy time grows.
    /// </summary>
    internal void CountBusy(double work, double weight) => BusyCoreSeconds += work * weight;

    /// <summary>Seconds this host carried at least one VM (or pod on bare metal) since statistics were last reset.</summary>
    public double UsedSeconds(double now) => _usedSeconds + (double.IsNaN(_usedSince) ? 0 : now - _usedSince);

    private double _usedSeconds;

    /// <summary>Whether it carried a VM (or pod on bare metal) at any time since statistics were last reset.</summary>
    public bool WasUsed { get; private set; }

    /// <summary>A VM, or a pod of a bare-metal engine, now occupies the host: it is in use.</summary>
    internal void Occupied(double now)
    {
        if (VmCount++ == 0)
        {
            _usedSince = now;
            WasUsed = true;
        }
    }

    /// <summary>A VM or pod left the host.</summary>
    internal void Vacated(double now)
    {
        if (--VmCount == 0)
        {
            _usedSeconds += now - _usedSince;
            _usedSince = double.NaN;
        }
    }

    internal void ResetStatistics(double now)
    {
        _usedSeconds = 0;
        BusyCoreSeconds = 0;
        WasUsed = VmCount > 0;
        if (VmCount > 0)
        {
            _usedSince = now;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
