using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Workload;

namespace VirtSim.Datacenter;

/// <summary>What happens to a VM no host can admit.</summary>
public enum AdmissionPolicy
{
    /// <summary>It waits, first come first served, until a destroyed VM frees enough.</summary>
    Queue,

    /// <summary>It is refused and counted.</summary>
    Reject,
}

/// <summary>A whole datacenter as a scenario describes it: hardware, network, and what runs on it.</summary>
/// <param name="HostGroups">The hosts, group by group, in order.</param>
/// <param name="Topology">How they are wired.</param>
/// <param name="Placement">How a VM's host is chosen.</param>
/// <param name="Admission">What happens to a VM no host admits.</param>
/// <param name="Vms">Plain VMs.</param>
/// <param name="Services">Services deployed as VMs.</param>
/// <param name="Batches">Batch jobs.</param>
/// <param name="MemoryScrubRate">Bytes of memory zeroed per second on destroy.</param>
/// <param name="MonitoringInterval">Seconds between two health checks (and utilization samples).</param>
/// <param name="VmMeanTimeToFailure">Mean running time before a VM crashes (exponential), in seconds; null: VMs never crash.</param>
/// <param name="EngineGroups">Container runtime engines, on bare metal or in VMs.</param>
/// <param name="ContainerPlacement">How a pod's engine is chosen.</param>
/// <param name="Pods">Plain pods.</param>
/// <param name="Functions">The function platform, if any.</param>
/// <remarks>
/// Memory scrubbing default: 10 GB/s, the order of one core's memset bandwidth on a current
/// server (an assumption; zeroing is memory-bandwidth bound).
/// </remarks>
public sealed partial record DatacenterSpec(
    IReadOnlyList<HostGroupSpec> HostGroups,
    TopologySpec Topology,
    PlacementRule Placement,
    AdmissionPolicy Admission,
    IReadOnlyList<VmGroupSpec> Vms,
    IReadOnlyList<ServiceSpec> Services,
    IReadOnlyList<BatchSpec> Batches,
    double MemoryScrubRate = 10e9,
    double MonitoringInterval = 60,
    double? VmMeanTimeToFailure = null,
    IReadOnlyList<EngineGroupSpec>? EngineGroups = null,
    PlacementRule ContainerPlacement = PlacementRule.FirstFit,
    IReadOnlyList<PodGroupSpec>? Pods = null,
    Serverless.FunctionPlatformSpec? Functions = null);
