using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter;

public sealed partial class Datacenter
{
    private IEnumerable<Await> FailLater(VirtualMachine vm, int incarnation)
    {
        var failures = _sim.Streams["vm-failures"];
        yield return _sim.Delay(MathNet.Numerics.Distributions.Exponential.Sample(failures, 1 / _spec.VmMeanTimeToFailure!.Value));
        if (vm.Incarnation == incarnation && vm.Phase == VmPhase.Running)
        {
            vm.Crashes++;
            _crashes++;
            Announce(vm, VmPhase.Crashed);
            vm.Owner!.Crashed(vm);
        }
    }

    private IEnumerable<Await> RequestVmGroup(VmGroupSpec group)
    {
        for (int i = 0; i < group.Count; i++)
        {
            if (i > 0 && group.Interval > 0)
            {
                yield return _sim.Delay(group.Interval);
            }
            RequestVm(group.Vm, new PlainVm(this, group.Lifetime));
        }
    }

    /// <summary>A VM that runs nothing the model looks into, destroyed after its lifetime if it has one.</summary>
    private sealed class PlainVm(Datacenter datacenter, double? lifetime) : IVmOwner
    {
        public void Running(VirtualMachine vm)
        {
            if (lifetime is { } seconds && vm.Incarnation == 1)
            {
                datacenter._sim.Start(datacenter.LiveThenDestroy(vm, seconds));
            }
        }

        public void Crashed(VirtualMachine vm)
        {
        }
    }

    /// <summary>Stops and destroys a running VM: its memory and disk are scrubbed, then its room is free for waiting VMs.</summary>
    public void DestroyVm(VirtualMachine vm) => _sim.Start(Destroy(vm));

    private IEnumerable<Await> LiveThenDestroy(VirtualMachine vm, double lifetime)
    {
        yield return _sim.Delay(lifetime);
        foreach (var step in Destroy(vm))
        {
            yield return step;
        }
    }

    private IEnumerable<Await> Destroy(VirtualMachine vm)
    {
        vm.Incarnation++;
        Leave(vm);
        foreach (var step in vm.Hypervisor!.Destroy(vm))
        {
            yield return step;
        }
        Update(vm.Host!);
        AdmitWaiting();
    }

    /// <summary>
    /// Asks for a VM: the placement policy picks a host whose hypervisor admits it, which then
    /// starts it; <paramref name="owner"/> hears when it runs and when it crashes. A VM no host
    /// admits waits or is rejected, as the admission policy says.
    /// </summary>
    public VirtualMachine RequestVm(VmSpec spec, IVmOwner owner)
    {
        var vm = new VirtualMachine(spec, _vms.Count) { RequestedAt = _sim.Now, Owner = owner };
        _vms.Add(vm);
        Announce(vm, VmPhase.Requested);
        if (!TryPlace(vm))
        {
            if (_spec.Admission == AdmissionPolicy.Reject)
            {
                _rejected++;
                Announce(vm, VmPhase.Rejected);
            }
            else
            {
                Announce(vm, VmPhase.Queued);
                _waiting.Enqueue(vm);
            }
        }
        return vm;
    }

    private bool TryPlace(VirtualMachine vm)
    {
        var hypervisor = PoolFor(vm.Spec).Choose(_spec.Placement, vm.Spec);
        if (hypervisor is null)
        {
            return false;
        }
        hypervisor.Reserve(vm);
        Update(hypervisor.Host);
        Announce(vm, VmPhase.Placed);
        _sim.Start(hypervisor.Start(vm));
        return true;
    }

    private void AdmitWaiting()
    {
        // Strictly first come, first served: the head waits until it fits.
        while (_waiting.Count > 0 && TryPlace(_waiting.Peek()))
        {
            _waiting.Dequeue();
        }
    }

    private HostPool PoolFor(VmSpec vm)
    {
        var key = (vm.HostGroup, vm.Image.InstructionSet);
        if (!_pools.TryGetValue(key, out var pool))
        {
            var members = _hypervisors
                .Where(h => (vm.HostGroup is null || h.Host.Spec.Group == vm.HostGroup) && h.Runs(vm.Image.InstructionSet))
                .ToList();
            pool = new HostPool(members);
            for (int i = 0; i < members.Count; i++)
            {
                _poolsOfHost[members[i].Host.Index].Add((pool, i));
            }
            _pools.Add(key, pool);
        }
        return pool;
    }

    private void Update(Host host)
    {
        foreach (var (pool, position) in _poolsOfHost[host.Index])
        {
            pool.Update(position);
        }
    }

    private void Announce(VirtualMachine vm, VmPhase phase)
    {
        double now = _sim.Now;
        vm.Phase = phase;
        if (phase == VmPhase.Running)
        {
            if (double.IsNaN(vm.RunningSince))
            {
                vm.RunningSince = now;
                _startup.Add(vm.StartupSeconds);
            }
            vm.RunningMark = now;
            vm.Incarnation++;
        }
        foreach (var observer in _observers)
        {
            observer.VmPhaseChanged(vm, phase, now);
        }
        if (phase == VmPhase.Running)
        {
            if (_spec.VmMeanTimeToFailure is not null)
            {
                _sim.Start(FailLater(vm, vm.Incarnation));
            }
            vm.Owner!.Running(vm);
        }
    }

    private void Leave(VirtualMachine vm)
    {
        if (!double.IsNaN(vm.RunningMark))
        {
            vm.RunningSeconds += _sim.Now - vm.RunningMark;
            vm.RunningMark = double.NaN;
        }
    }
}
