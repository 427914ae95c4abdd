using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Containers;

/// <summary>
/// The container side of the datacenter: groups of runtime engines (on bare-metal hosts or in
/// VMs), the pods placed on them, and the cluster autoscaler that starts an engine VM (with the
/// whole VM start: placement, image, boot, provisioning) only when no engine of the group has
/// room for a pending pod, and removes engine VMs left idle.
/// </summary>
public sealed class ContainerCluster : IVmOwner
{
    private readonly Simulation _sim;
    private readonly IVmProvider _datacenter;
    private readonly FairShare _fairShare;
    private readonly DatacenterNetwork _network;
    private readonly NetworkNode _registry;
    private readonly PlacementRule _placement;
    private readonly Action<Pod, PodPhase> _announce;
    private readonly Dictionary<string, EngineGroupSpec> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContainerEngine>> _engines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPods> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _starting = new(StringComparer.Ordinal);
    private readonly Dictionary<VirtualMachine, ContainerEngine> _engineOfVm = [];
    private readonly Dictionary<VirtualMachine, List<Pod>> _lostPods = [];
    private readonly List<Pod> _pods = [];
    private readonly Dictionary<(string Pod, string Container), Sampler> _mainWork = [];

    internal ContainerCluster(Simulation sim, IVmProvider datacenter, FairShare fairShare, DatacenterNetwork network,
        NetworkNode registry, IEnumerable<EngineGroupSpec> groups, PlacementRule placement, Action<Pod, PodPhase> announce)
    {
        _sim = sim;
        _datacenter = datacenter;
        _fairShare = fairShare;
        _network = network;
        _registry = registry;
        _placement = placement;
        _announce = announce;
        foreach (var group in groups)
        {
            _groups.Add(group.Name, group);
            _engines.Add(group.Name, []);
            _pending.Add(group.Name, new PendingPods());
            _starting.Add(group.Name, 0);
        }
    }

    /// <summary>Every engine, group by group.</summary>
    public IEnumerable<ContainerEngine> Engines => _engines.Values.SelectMany(e => e);

    /// <summary>Every pod asked for, in order.</summary>
    public IReadOnlyList<Pod> Pods => _pods;

    /// <summary>Engine VMs the autoscaler started beyond the groups' initial counts.</summary>
    public int ScaledOut { get; private set; }

    /// <summary>Engine VMs the autoscaler removed.</summary>
    public int ScaledIn { get; private set; }

    internal void Start(double checkInterval)
    {
        foreach (var group in _groups.Values)
        {
            if (group.HostGroup is { } hostGroup)
            {
                foreach (var host in _datacenter.Hosts.Where(h => h.Spec.Group == hostGroup))
                {
                    AddEngine(new ContainerEngine(host.Name, group, host, null, _sim, _fairShare, _network, _registry));
                }
                continue;
            }
            for (int i = 0; i < group.Count; i++)
            {
                StartEngineVm(group);
            }
            if (group.MaxCount > group.Count)
            {
                _sim.Start(ScaleIn(group, checkInterval));
            }
        }
    }

    private void StartEngineVm(EngineGroupSpec group)
    {
        _starting[group.Name]++;
        _datacenter.RequestVm(group.Vm!, this);
    }

    /// <summary>Hears every layer any engine pulls (the datacenter passes it to its observers).</summary>
    internal Action<LayerPull>? LayerPulled { get; set; }

    private void AddEngine(ContainerEngine engine)
    {
        engine.LayerPulled = pull => LayerPulled?.Invoke(pull);
        _engines[engine.Group.Name].Add(engine);
        PlacePending(engine.Group.Name);
    }

    void IVmOwner.Running(VirtualMachine vm)
    {
        if (_engineOfVm.TryGetValue(vm, out var engine))
        {
            // Back after a crash: the kubelet starts again the pods it lost.
            foreach (var lost in _lostPods.Remove(vm, out var pods) ? pods : [])
            {
                RequestPod(lost.Spec, engine.Group.Name, lost.Owner);
            }
            return;
        }
        var group = _groups.Values.First(g => ReferenceEquals(g.Vm, vm.Spec));
        _starting[group.Name]--;
        engine = new ContainerEngine($"{group.Name}-{_engines[group.Name].Count}", group, vm.Host!, vm, _sim, _fairShare, _network, _registry);
        _engineOfVm.Add(vm, engine);
        AddEngine(engine);
    }

    void IVmOwner.Crashed(VirtualMachine vm)
    {
        if (!_engineOfVm.TryGetValue(vm, out var engine))
        {
            return;
        }
        var lost = _pods.Where(p => ReferenceEquals(p.Engine, engine) && p.Phase != PodPhase.Stopped).ToList();
        _lostPods[vm] = lost;
        foreach (var pod in lost)
        {
            Stop(pod);
        }
    }

    /// <summary>Pods waiting now for an engine with room (cores, memory, a free host port), in every group.</summary>
    public int PodsPending => _pending.Values.Sum(pending => pending.Count);

    /// <summary>Asks for a pod in an engine group; it waits (and may make the group scale out) while no engine has room.</summary>
    public Pod RequestPod(PodSpec spec, string group, IPodOwner owner)
    {
        if (!_groups.ContainsKey(group))
        {
            throw new ArgumentException($"No engine group named '{group}'.", nameof(group));
        }
        var pod = new Pod(spec, _pods.Count, owner) { RequestedAt = _sim.Now };
        _pods.Add(pod);
        _announce(pod, PodPhase.Requested);
        if (!TryPlace(pod, group))
        {
            _announce(pod, PodPhase.Pending);
            _pending[group].Add(pod);
            ScaleOutIfNeeded(_groups[group]);
        }
        return pod;
    }

    private bool TryPlace(Pod pod, string group)
    {
        var engine = Choose(pod.Spec, _engines[group]);
        if (engine is null)
        {
            return false;
        }
        pod.Engine = engine;
        engine.Reserve(pod);
        _announce(pod, PodPhase.Placed);
        pod.Owner.Placed(pod);
        _sim.Start(Launch(pod));
        return true;
    }

    private ContainerEngine? Choose(PodSpec spec, List<ContainerEngine> engines) =>
        _placement.Choose(engines, spec, static (engine, spec) => engine.Admits(spec), static engine => engine.CpuCapacity - engine.CpuReserved,
            static engine => engine.MemoryCapacity - engine.MemoryReserved);

    private void PlacePending(string group)
    {
        _pending[group].PlaceInOrder(static (pod, state) => state.Cluster.TryPlace(pod, state.Group), (Cluster: this, Group: group));
    }

    /// <summary>
    /// The cluster autoscaler: when pods wait because no engine of the group has room, start
    /// engine VMs until those already starting would hold the waiting pods' cores.
    /// </summary>
    private void ScaleOutIfNeeded(EngineGroupSpec group)
    {
        if (group.Vm is null)
        {
            return;
        }
        double waitingCores = _pending[group.Name].Pods.Sum(p => p.Spec.CpuRequest);
        int alive = _engines[group.Name].Count + _starting[group.Name];
        while (alive < group.MaxCount && _starting[group.Name] * group.Vm.Vcpus < waitingCores)
        {
            StartEngineVm(group);
            ScaledOut++;
            alive++;
        }
    }

    private IEnumerable<Await> ScaleIn(EngineGroupSpec group, double interval)
    {
        while (true)
        {
            yield return _sim.Delay(interval);
            var engines = _engines[group.Name];
            for (int i = engines.Count - 1; i >= 0 && engines.Count > group.Count; i--)
            {
                var engine = engines[i];
                if (engine.PodCount == 0 && _sim.Now - engine.IdleSince >= group.ScaleDownAfter && engine.Vm is { Phase: VmPhase.Running } vm)
                {
                    engines.RemoveAt(i);
                    _engineOfVm.Remove(vm);
                    ScaledIn++;
                    _datacenter.DestroyVm(vm);
                }
            }
        }
    }

    /// <summary>A pod's life on its engine: pull, start, run; stop when every finite main process has ended.</summary>
    private IEnumerable<Await> Launch(Pod pod)
    {
        var engine = pod.Engine!;
        _announce(pod, PodPhase.Pulling);
        var pulls = pod.Spec.Containers.Select(c => _sim.Start(engine.Pull(c.Image, pod))).ToArray();
        foreach (var pull in pulls)
        {
            yield return pull;
        }
        _announce(pod, PodPhase.Starting);
        // The engine starts the pod's containers together; under a hypervisor, more slowly.
        double slowdown = engine.Vm is null ? 1 : engine.Host.Spec.Hypervisor.Slowdown;
        yield return _sim.Delay(engine.Group.Profile.ContainerStartSeconds * slowdown);
        pod.RunningSince = _sim.Now;
        _announce(pod, PodPhase.Running);
        pod.Owner.Running(pod);
        var mains = new List<Process>();
        foreach (var container in pod.Spec.Containers)
        {
            if (container.MainProcessCpu is { } work)
            {
                mains.Add(_sim.Start(MainProcess(pod, container, work)));
            }
        }
        if (mains.Count == 0)
        {
            yield break;
        }
        foreach (var main in mains)
        {
            yield return main;
        }
        if (pod.Phase == PodPhase.Running)
        {
            pod.Completed = true;
            Stop(pod);
        }
    }

    private IEnumerable<Await> MainProcess(Pod pod, ContainerSpec container, Distribution work)
    {
        if (!_mainWork.TryGetValue((pod.Spec.Name, container.Name), out var sampler))
        {
            sampler = work.Bind(_sim.Streams[$"{pod.Spec.Name}.{container.Name}.main"]);
            _mainWork.Add((pod.Spec.Name, container.Name), sampler);
        }
        double cpuWork = sampler.Sample();
        var cpu = ReplicaWork.Cpu(pod, _fairShare, container.CpuLimit);
        pod.Mains.Add(cpu);
        yield return cpu.Run(cpuWork);
        pod.Host.CountBusy(cpu.WorkDone, pod.CpuWeight);
    }

    /// <summary>Stops a running pod from outside (its owner no longer needs it): its resources are free at once.</summary>
    public void StopPod(Pod pod)
    {
        if (pod.Phase is PodPhase.Running or PodPhase.Starting or PodPhase.Pulling or PodPhase.Placed)
        {
            Stop(pod);
        }
        else if (pod.Phase == PodPhase.Pending)
        {
            foreach (var pending in _pending.Values)
            {
                pending.Remove(pod);
            }
            _announce(pod, PodPhase.Stopped);
        }
    }

    private void Stop(Pod pod)
    {
        foreach (var main in pod.Mains)
        {
            // A pod stopped from outside (its VM crashed) loses its main processes' work.
            main.Cancel();
        }
        var engine = pod.Engine!;
        engine.Release(pod);
        _announce(pod, PodPhase.Stopped);
        pod.Owner.Stopped(pod);
        PlacePending(engine.Group.Name);
    }
}
