using VirtSim.Datacenter.Hosting;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Virtualization;

/// <summary>The phases of a VM's life, in the order a start goes through them.</summary>
public enum VmPhase
{
    /// <summary>Asked for; not yet placed.</summary>
    Requested,
    /// <summary>Waiting because no host could admit it.</summary>
    Queued,
    /// <summary>Refused: no host could admit it and the policy is to reject.</summary>
    Rejected,
    /// <summary>Placed on a host whose hypervisor reserved its resources.</summary>
    Placed,
    /// <summary>Its image is being copied from the repository.</summary>
    TransferringImage,
    /// <summary>Another VM on the same host is already fetching the image.</summary>
    WaitingForImage,
    /// <summary>The boot loader runs.</summary>
    BootLoader,
    /// <summary>The operating system is read from the image.</summary>
    LoadingOs,
    /// <summary>The operating system starts its services.</summary>
    StartingOs,
    /// <summary>Services are downloaded and installed after boot.</summary>
    Provisioning,
    /// <summary>Serving.</summary>
    Running,
    /// <summary>Crashed; the hypervisor restarts it after its next health check.</summary>
    Crashed,
    /// <summary>Stopped; memory and disk are being scrubbed before they are free again.</summary>
    Scrubbing,
    /// <summary>Gone; its resources are free.</summary>
    Destroyed,
}

/// <summary>A virtual machine: a VM spec placed on a host.</summary>
public sealed class VirtualMachine : IReplica
{
    internal VirtualMachine(VmSpec spec, int id)
    {
        Spec = spec;
        Id = id;
    }

    /// <summary>What was asked for.</summary>
    public VmSpec Spec { get; }

    /// <summary>Number in order of request, from 0.</summary>
    public int Id { get; }

    /// <summary>The host it runs on, once placed.</summary>
    public Host? Host => Hypervisor?.Host;

    /// <summary>The hypervisor that runs it (null until placed).</summary>
    public Hypervisor? Hypervisor { get; internal set; }

    /// <summary>Where it is in its life.</summary>
    public VmPhase Phase { get; internal set; }

    /// <summary>When it was requested, in simulated seconds.</summary>
    public double RequestedAt { get; internal set; }

    /// <summary>When it first reached <see cref="VmPhase.Running"/> (NaN before).</summary>
    public double RunningSince { get; internal set; } = double.NaN;

    /// <summary>Seconds spent running since statistics were last reset.</summary>
    internal double RunningSeconds;

    internal double RunningMark = double.NaN;

    /// <summary>The vCPU limit the hypervisor enforces: at most <c>vCPUs</c> cores of the host.</summary>
    public SharedResource? VcpuLimit { get; internal set; }

    /// <summary>The disk bandwidth limit the hypervisor enforces, if any.</summary>
    public SharedResource? DiskLimit { get; internal set; }

    /// <summary>The network bandwidth limit the hypervisor enforces, if any.</summary>
    public SharedResource? NetworkLimit { get; internal set; }

    /// <summary>Requests in progress on it (for least-loaded balancing).</summary>
    public int InFlight => Requests.Count;

    /// <inheritdoc />
    public List<Process> Requests { get; } = [];

    Host IReplica.Host => Host!;

    /// <inheritdoc />
    public double CpuWeight => Host!.PagingFactor * Hypervisor!.Spec.Slowdown;

    /// <inheritdoc />
    public double IoWeight => Hypervisor!.Spec.IoWeight;

    /// <inheritdoc />
    public double CpuShare => Spec.CpuShare;

    /// <inheritdoc />
    public void AddCpuLimits(Activity cpu, double weight) => cpu.Uses(VcpuLimit!, weight);

    /// <inheritdoc />
    public Await ReadDisk(double bytes) => Hypervisor!.ReadDisk(this, bytes);

    SharedResource? IReplica.NetworkLimit => NetworkLimit;

    /// <summary>What it runs for.</summary>
    internal IVmOwner? Owner;

    /// <summary>Counts its runs, so that a failure drawn for an earlier run does not strike a later one.</summary>
    internal int Incarnation;

    /// <summary>Times it crashed.</summary>
    public int Crashes { get; internal set; }

    /// <summary>Start-up time: from request to running, in seconds (NaN if not yet running).</summary>
    public double StartupSeconds => RunningSince - RequestedAt;

    /// <inheritdoc />
    public override string ToString() => $"{Spec.Name}#{Id}";
}

/// <summary>What a VM runs for: it hears when the VM runs (again) and when it crashes.</summary>
public interface IVmOwner
{
    /// <summary>The VM reached <see cref="VmPhase.Running"/>, first or after a restart.</summary>
    void Running(VirtualMachine vm);

    /// <summary>The VM crashed; its work in progress is lost.</summary>
    void Crashed(VirtualMachine vm);
}
