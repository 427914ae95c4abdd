using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Hosting;

/// <summary>
/// What serves a service's requests behind its load balancer: a VM, or a pod in a container
/// runtime engine (on bare metal or in a VM). It says where the work runs and what it costs.
/// </summary>
public interface IReplica
{
    /// <summary>The physical host the work ends up on.</summary>
    Host Host { get; }

    /// <summary>Host CPU consumed per unit of the request's CPU work (above 1 under a hypervisor).</summary>
    double CpuWeight { get; }

    /// <summary>Cost per byte of I/O through the replica's I/O path (above 1 under a hypervisor).</summary>
    double IoWeight { get; }

    /// <summary>Weight of the replica's work when the host CPU is contended.</summary>
    double CpuShare { get; }

    /// <summary>Makes <paramref name="cpu"/> count against the replica's own CPU limits (vCPUs, container limit).</summary>
    void AddCpuLimits(Activity cpu, double weight);

    /// <summary>A read of <paramref name="bytes"/> from the host's disk through the replica's I/O path.</summary>
    Await ReadDisk(double bytes);

    /// <summary>A bandwidth limit its network traffic counts against, if any.</summary>
    SharedResource? NetworkLimit { get; }

    /// <summary>The requests in progress on it.</summary>
    List<Process> Requests { get; }
}

/// <summary>Work on a replica, built one way everywhere.</summary>
public static class ReplicaWork
{
    /// <summary>
    /// CPU work on <paramref name="replica"/>: it uses the host's CPU at the replica's weight (the
    /// hypervisor's cost, paging), counts against the replica's own limits, and runs on at most
    /// <paramref name="cores"/> cores (one for a single-threaded request).
    /// </summary>
    public static Activity Cpu(IReplica replica, FairShare fairShare, double cores = 1)
    {
        ArgumentNullException.ThrowIfNull(fairShare);
        return Configure(fairShare.CreateActivity(), replica, cores);
    }

    /// <summary>As <see cref="Cpu"/>, reusing <paramref name="activity"/> (not running) instead of creating one.</summary>
    public static Activity Reuse(Activity activity, IReplica replica, double cores = 1)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.ClearUses();
        return Configure(activity, replica, cores);
    }

    private static Activity Configure(Activity cpu, IReplica replica, double cores)
    {
        var host = replica.Host;
        double weight = replica.CpuWeight;
        cpu.Uses(host.Cpu, weight);
        replica.AddCpuLimits(cpu, weight);
        cpu.RateCap = cores * host.Spec.CoreSpeed / weight;
        cpu.Share = replica.CpuShare;
        return cpu;
    }
}
