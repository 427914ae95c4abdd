using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Experiments.Running;

/// <summary>Keeps every VM phase change, for the timeline file.</summary>
internal sealed class TimelineRecorder : IDatacenterObserver
{
    private readonly List<TimelineRow> _rows = [];

    public IReadOnlyList<TimelineRow> Rows => _rows;

    public void VmPhaseChanged(VirtualMachine vm, VmPhase phase, double time) =>
        _rows.Add(new TimelineRow(vm.Id, vm.Spec.Name, vm.Host?.Name, phase.ToString(), time));
}
