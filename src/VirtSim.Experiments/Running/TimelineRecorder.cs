using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Serverless;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Experiments.Running;

/// <summary>Keeps every VM and pod phase change, layer pull, cold start and monitor sample, for the timeline files and the trace.</summary>
internal sealed class TimelineRecorder : IDatacenterObserver
{
    private readonly List<TimelineRow> _rows = [];
    private readonly List<UtilizationRow> _samples = [];
    private readonly List<FunctionInstancesRow> _functions = [];
    private readonly List<PodTimelineRow> _pods = [];
    private readonly List<ColdStart> _coldStarts = [];
    private readonly List<LayerPull> _layerPulls = [];

    public IReadOnlyList<LayerPull> LayerPulls => _layerPulls;

    public void LayerPulled(LayerPull pull) => _layerPulls.Add(pull);

    public IReadOnlyList<PodTimelineRow> PodRows => _pods;

    public IReadOnlyList<ColdStart> ColdStarts => _coldStarts;

    public void PodPhaseChanged(Pod pod, PodPhase phase, double time) =>
        _pods.Add(new PodTimelineRow(pod.Id, pod.Spec.Name, pod.Engine?.Name, phase.ToString(), time, pod.Engine?.Host.Name));

    public void FunctionColdStarted(ColdStart start) => _coldStarts.Add(start);

    public IReadOnlyList<FunctionInstancesRow> FunctionSamples => _functions;

    public void FunctionSampled(string function, double time, int busyInstances, int idleInstances) =>
        _functions.Add(new FunctionInstancesRow(time, function, busyInstances, idleInstances));

    public IReadOnlyList<TimelineRow> Rows => _rows;

    public IReadOnlyList<UtilizationRow> Samples => _samples;

    public bool WantsSamples => true;

    public void VmPhaseChanged(VirtualMachine vm, VmPhase phase, double time) =>
        _rows.Add(new TimelineRow(vm.Id, vm.Spec.Name, vm.Host?.Name, phase.ToString(), time));

    public void HostSampled(Host host, double time, double cpuUtilization) =>
        _samples.Add(new UtilizationRow(time, "host", host.Name, cpuUtilization));

    public void VmSampled(VirtualMachine vm, double time, double cpuUtilization) =>
        _samples.Add(new UtilizationRow(time, "vm", vm.ToString(), cpuUtilization));
}
