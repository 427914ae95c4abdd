using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Serverless;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter;

/// <summary>Hears what happens in the datacenter; metrics, timelines and traces are built from it.</summary>
public interface IDatacenterObserver
{
    /// <summary>A VM entered <paramref name="phase"/> at <paramref name="time"/>.</summary>
    void VmPhaseChanged(VirtualMachine vm, VmPhase phase, double time);

    /// <summary>A pod entered <paramref name="phase"/> at <paramref name="time"/>.</summary>
    void PodPhaseChanged(Pod pod, PodPhase phase, double time)
    {
    }

    /// <summary>A node finished pulling a layer (see <see cref="LayerPull"/>).</summary>
    void LayerPulled(LayerPull pull)
    {
    }

    /// <summary>A function instance started cold (see <see cref="ColdStart"/>).</summary>
    void FunctionColdStarted(ColdStart start)
    {
    }

    /// <summary>Whether this observer wants the monitor's utilization samples.</summary>
    bool WantsSamples => false;

    /// <summary>The monitor sampled a host's CPU utilization (0 to 1) at <paramref name="time"/>.</summary>
    void HostSampled(Host host, double time, double cpuUtilization)
    {
    }

    /// <summary>The monitor counted a function's busy and idle instances at <paramref name="time"/>.</summary>
    void FunctionSampled(string function, double time, int busyInstances, int idleInstances)
    {
    }

    /// <summary>The monitor sampled a running VM's CPU utilization (share of its vCPUs, 0 to 1).</summary>
    void VmSampled(VirtualMachine vm, double time, double cpuUtilization)
    {
    }
}
