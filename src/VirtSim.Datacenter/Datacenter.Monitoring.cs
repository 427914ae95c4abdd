using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter;

public sealed partial class Datacenter
{
    /// <summary>
    /// The hypervisors' periodic monitoring: a health check of every VM, which restarts those
    /// found crashed, and, for observers that want them, CPU utilization samples of every host
    /// in use and every running VM.
    /// </summary>
    private IEnumerable<Await> Monitor()
    {
        bool sample = _observers.Any(o => o.WantsSamples);
        while (true)
        {
            yield return _sim.Delay(_spec.MonitoringInterval);
            double now = _sim.Now;
            foreach (var vm in _vms)
            {
                if (vm.Phase == VmPhase.Crashed)
                {
                    _sim.Start(vm.Hypervisor!.Restart(vm));
                }
            }
            if (!sample)
            {
                continue;
            }
            foreach (var host in _hosts)
            {
                if (host.VmCount > 0)
                {
                    double utilization = host.Cpu.Load / host.Cpu.Capacity;
                    _observers.ForEach(o => o.HostSampled(host, now, utilization));
                }
            }
            foreach (var vm in _vms)
            {
                if (vm.Phase == VmPhase.Running)
                {
                    double utilization = vm.VcpuLimit!.Load / vm.VcpuLimit.Capacity;
                    _observers.ForEach(o => o.VmSampled(vm, now, utilization));
                }
            }
            foreach (var (function, busy, idle) in Functions?.Snapshot() ?? [])
            {
                _observers.ForEach(o => o.FunctionSampled(function, now, busy, idle));
            }
        }
    }
}
