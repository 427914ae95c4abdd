using VirtSim.Datacenter.Hosting;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Containers;

/// <summary>The phases of a pod's life.</summary>
public enum PodPhase
{
    /// <summary>Asked for.</summary>
    Requested,
    /// <summary>Waiting for an engine with room (perhaps for the autoscaler's new VM).</summary>
    Pending,
    /// <summary>Placed on an engine, which reserved its cores, memory and ports.</summary>
    Placed,
    /// <summary>Its images' missing layers are being pulled and unpacked.</summary>
    Pulling,
    /// <summary>The engine is starting its containers.</summary>
    Starting,
    /// <summary>Its main processes run.</summary>
    Running,
    /// <summary>Its main process ended (or it was stopped); its resources are free.</summary>
    Stopped,
}

/// <summary>What a pod runs for: it hears when the pod is placed, when it runs and when it stops.</summary>
public interface IPodOwner
{
    /// <summary>An engine took the pod (it may have waited for one with room).</summary>
    void Placed(Pod pod)
    {
    }

    /// <summary>The pod's containers run.</summary>
    void Running(Pod pod);

    /// <summary>The pod stopped.</summary>
    void Stopped(Pod pod);
}

/// <summary>A pod placed on a container runtime engine.</summary>
public sealed class Pod : IReplica
{
    internal Pod(PodSpec spec, int id, IPodOwner owner)
    {
        Spec = spec;
        Id = id;
        Owner = owner;
    }

    /// <summary>What was asked for.</summary>
    public PodSpec Spec { get; }

    /// <summary>Number in order of request, from 0.</summary>
    public int Id { get; }

    internal IPodOwner Owner { get; }

    /// <summary>The engine it runs on, once placed.</summary>
    public ContainerEngine? Engine { get; internal set; }

    /// <summary>Where it is in its life.</summary>
    public PodPhase Phase { get; internal set; }

    /// <summary>When it was requested.</summary>
    public double RequestedAt { get; internal set; }

    /// <summary>When its containers started running (NaN before).</summary>
    public double RunningSince { get; internal set; } = double.NaN;

    /// <summary>Layer bytes pulled because this pod needed them first on its node.</summary>
    public double BytesPulled { get; internal set; }

    /// <summary>True once every main process of a pod with finite main processes has ended by itself.</summary>
    public bool Completed { get; internal set; }

    /// <summary>The cores its containers may use together.</summary>
    public SharedResource? CpuLimit { get; internal set; }

    /// <summary>From request to running, in seconds.</summary>
    public double StartupSeconds => RunningSince - RequestedAt;

    /// <inheritdoc />
    public Host Host => Engine!.Host;

    /// <inheritdoc />
    public double CpuWeight => Engine!.Vm?.CpuWeight ?? Host.PagingFactor;

    /// <inheritdoc />
    public double IoWeight => Engine!.Vm?.IoWeight ?? 1;

    /// <inheritdoc />
    public double CpuShare => 1;

    /// <inheritdoc />
    public void AddCpuLimits(Activity cpu, double weight)
    {
        Engine!.Vm?.AddCpuLimits(cpu, weight);
        cpu.Uses(CpuLimit!, weight);
    }

    /// <inheritdoc />
    public Await ReadDisk(double bytes) =>
        Engine!.Vm is { } vm ? vm.ReadDisk(bytes) : CpuLimit!.Owner.CreateActivity().Uses(Host.Disk).Run(bytes);

    /// <inheritdoc />
    public SharedResource? NetworkLimit => Engine!.Vm?.NetworkLimit;

    /// <inheritdoc />
    public List<Process> Requests { get; } = [];

    /// <summary>The CPU work of its containers' main processes.</summary>
    internal List<Activity> Mains { get; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{Spec.Name}#{Id}";
}
