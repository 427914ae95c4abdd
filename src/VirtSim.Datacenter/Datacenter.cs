using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hardware;
using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter;

/// <summary>
/// The simulated datacenter: hosts wired by a network, an image repository, hypervisors that
/// admit and start VMs, and the services and batch jobs that run in them. Built from a
/// <see cref="DatacenterSpec"/>; it does no I/O, and tells its observers what happens.
/// </summary>
public sealed class Datacenter
{
    private readonly Simulation _sim;
    private readonly DatacenterSpec _spec;
    private readonly FairShare _fairShare;
    private readonly List<Host> _hosts = [];
    private readonly Dictionary<(string? Group, string InstructionSet), HostPool> _pools = [];
    private readonly List<IDatacenterObserver> _observers = [];
    private readonly Queue<VirtualMachine> _waiting = new();
    private readonly List<VirtualMachine> _vms = [];
    private readonly List<Service> _services = [];
    private readonly List<Batch> _batches = [];
    private readonly List<PlainPods> _podGroups = [];
    private readonly NetworkNode _repository;
    private readonly NetworkNode _gateway;
    private readonly NetworkNode _registry;
    private readonly Tally _podStartup = new();
    private readonly Tally _startup = new();
    private int _rejected;
    private int _crashes;
    private double _measuredSince;

    /// <summary>Builds the datacenter of <paramref name="spec"/> in <paramref name="simulation"/>.</summary>
    public Datacenter(Simulation simulation, DatacenterSpec spec)
    {
        _sim = simulation ?? throw new ArgumentNullException(nameof(simulation));
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _fairShare = new FairShare(simulation);
        Network = new DatacenterNetwork(_fairShare);
        _repository = Network.AddNode("repository");
        _gateway = Network.AddNode("gateway");
        _registry = Network.AddNode("registry");
        BuildHosts();
        _services.AddRange(spec.Services.Select(s => new Service(s, simulation, _fairShare, Network, _gateway)));
        _batches.AddRange(spec.Batches.Select(b => new Batch(b, simulation, _fairShare)));
        if (spec.EngineGroups is { Count: > 0 } groups)
        {
            Containers = new ContainerCluster(simulation, this, _fairShare, Network, _registry, groups, spec.ContainerPlacement, Announce);
        }
        if (spec.Functions is { } functions)
        {
            Functions = new Serverless.FunctionPlatform(simulation, functions, Containers, Network, _gateway);
        }
    }

    /// <summary>The function platform, when the datacenter runs functions.</summary>
    public Serverless.FunctionPlatform? Functions { get; }

    /// <summary>The container engines and pods, when the datacenter has engine groups.</summary>
    public ContainerCluster? Containers { get; }

    /// <summary>The network.</summary>
    public DatacenterNetwork Network { get; }

    /// <summary>Every host, group by group.</summary>
    public IReadOnlyList<Host> Hosts => _hosts;

    /// <summary>Every VM asked for so far, in order.</summary>
    public IReadOnlyList<VirtualMachine> Vms => _vms;

    /// <summary>Lets <paramref name="observer"/> hear every VM and pod phase change, cold start and sample.</summary>
    public void AddObserver(IDatacenterObserver observer)
    {
        _observers.Add(observer);
        if (Functions is not null)
        {
            Functions.ColdStarted ??= ColdStarted;
        }
    }

    private void ColdStarted(Serverless.ColdStart start)
    {
        foreach (var observer in _observers)
        {
            observer.FunctionColdStarted(start);
        }
    }

    private void BuildHosts()
    {
        var topology = _spec.Topology;
        int total = _spec.HostGroups.Sum(g => g.Count);
        var (hostLink, attach) = topology switch
        {
            TopologySpec.Star star => (star.HostLink, WireStar(star)),
            TopologySpec.LeafSpine fabric => (fabric.HostLink, WireLeafSpine(fabric, total)),
            _ => throw new ArgumentException("Unknown topology."),
        };
        foreach (var group in _spec.HostGroups)
        {
            for (int i = 0; i < group.Count; i++)
            {
                string name = $"{group.Host.Group}-{i}";
                var node = Network.AddNode(name);
                Network.Connect(node, attach(_hosts.Count), hostLink);
                var host = new Host(group.Host, _hosts.Count, name, _fairShare, node);
                host.Hypervisor = new Hypervisor(host, _sim, _fairShare, Network, _repository, _spec.MemoryScrubRate, Announce);
                _hosts.Add(host);
            }
        }
    }

    private Func<int, NetworkNode> WireStar(TopologySpec.Star star)
    {
        var core = Network.AddNode("switch");
        Network.Connect(_repository, core, star.RepositoryLink);
        Network.Connect(_registry, core, star.RepositoryLink);
        Network.Connect(_gateway, core, star.GatewayLink);
        return _ => core;
    }

    private Func<int, NetworkNode> WireLeafSpine(TopologySpec.LeafSpine fabric, int hosts)
    {
        var spines = Enumerable.Range(0, fabric.Spines).Select(i => Network.AddNode($"spine-{i}")).ToList();
        NetworkNode Leaf(string name)
        {
            var leaf = Network.AddNode(name);
            foreach (var spine in spines)
            {
                Network.Connect(leaf, spine, fabric.Uplink);
            }
            return leaf;
        }
        var border = Leaf("leaf-border");
        Network.Connect(_repository, border, fabric.RepositoryLink);
        Network.Connect(_registry, border, fabric.RepositoryLink);
        Network.Connect(_gateway, border, fabric.GatewayLink);
        int racks = (hosts + fabric.HostsPerRack - 1) / fabric.HostsPerRack;
        var leaves = Enumerable.Range(0, racks).Select(r => Leaf($"leaf-{r}")).ToList();
        return index => leaves[index / fabric.HostsPerRack];
    }

    /// <summary>Asks for every VM, starts every service's arrivals: the run begins.</summary>
    public void Start()
    {
        foreach (var group in _spec.Vms)
        {
            _sim.Start(RequestVmGroup(group));
        }
        Containers?.Start(_spec.MonitoringInterval);
        Functions?.Start();
        foreach (var group in _spec.Pods ?? [])
        {
            var plain = new PlainPods(group);
            _podGroups.Add(plain);
            _sim.Start(RequestPodGroup(plain));
        }
        foreach (var service in _services)
        {
            if (service.Spec.Backend is { } backend)
            {
                for (int i = 0; i < backend.Replicas; i++)
                {
                    Containers!.RequestPod(backend.Pod, backend.EngineGroup, service.BackendOwner);
                }
            }
            for (int i = 0; i < service.Spec.Replicas; i++)
            {
                if (service.Spec.Pod is { } pod)
                {
                    Containers!.RequestPod(pod, service.Spec.EngineGroup!, service);
                }
                else
                {
                    RequestVm(service.Spec.Vm!, service);
                }
            }
            _sim.Start(service.Arrivals());
        }
        foreach (var batch in _batches)
        {
            if (batch.Spec.Pod is { } pod)
            {
                for (int i = 0; i < batch.Spec.Tasks; i++)
                {
                    Containers!.RequestPod(pod, batch.Spec.EngineGroup!, batch);
                }
                continue;
            }
            for (int i = 0; i < batch.Spec.Replicas; i++)
            {
                RequestVm(batch.Spec.Vm!, batch);
            }
        }
        if (_spec.VmMeanTimeToFailure is not null || _observers.Any(o => o.WantsSamples))
        {
            _sim.Start(Monitor());
        }
    }

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
                    _sim.Start(vm.Host!.Hypervisor.Restart(vm));
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

    private IEnumerable<Await> RequestPodGroup(PlainPods group)
    {
        var spec = group.Spec;
        if (spec.StartAt > 0)
        {
            yield return _sim.Delay(spec.StartAt);
        }
        for (int i = 0; i < spec.Count; i++)
        {
            if (i > 0 && spec.Interval > 0)
            {
                yield return _sim.Delay(spec.Interval);
            }
            group.Pods.Add(Containers!.RequestPod(spec.Pod, spec.EngineGroup, group));
        }
    }

    /// <summary>Pods that serve nothing the model looks into: their start-up and pulls are what matter.</summary>
    private sealed class PlainPods(PodGroupSpec spec) : IPodOwner
    {
        public PodGroupSpec Spec { get; } = spec;

        public List<Pod> Pods { get; } = [];

        public void Running(Pod pod)
        {
        }

        public void Stopped(Pod pod)
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
        foreach (var step in vm.Host!.Hypervisor.Destroy(vm))
        {
            yield return step;
        }
        Update(vm.Host);
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
        var host = _spec.Placement.Choose(vm.Spec, PoolFor(vm.Spec));
        if (host is null)
        {
            return false;
        }
        host.Hypervisor.Reserve(vm);
        Update(host);
        Announce(vm, VmPhase.Placed);
        _sim.Start(vm.Host!.Hypervisor.Start(vm));
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
            var members = _hosts
                .Where(h => (vm.HostGroup is null || h.Spec.Group == vm.HostGroup) && h.Hypervisor.Runs(vm.Image.InstructionSet))
                .ToList();
            pool = new HostPool(members);
            for (int i = 0; i < members.Count; i++)
            {
                members[i].Pools.Add((pool, i));
            }
            _pools.Add(key, pool);
        }
        return pool;
    }

    private static void Update(Host host)
    {
        foreach (var (pool, position) in host.Pools)
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

    private void Announce(Pod pod, PodPhase phase)
    {
        double now = _sim.Now;
        pod.Phase = phase;
        if (phase == PodPhase.Running)
        {
            _podStartup.Add(pod.StartupSeconds);
        }
        foreach (var observer in _observers)
        {
            observer.PodPhaseChanged(pod, phase, now);
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

    /// <summary>
    /// Forgets the steady-state measurements so far: the end of the warm-up. Start-up times,
    /// rollouts and pulled bytes are kept: they happen once, mostly at the beginning, and are
    /// what a comparison of deployments is about.
    /// </summary>
    public void ResetStatistics()
    {
        double now = _sim.Now;
        _measuredSince = now;
        _rejected = 0;
        Functions?.ResetStatistics();
        _crashes = 0;
        foreach (var host in _hosts)
        {
            host.ResetStatistics(now);
        }
        foreach (var vm in _vms)
        {
            vm.RunningSeconds = 0;
            if (!double.IsNaN(vm.RunningMark))
            {
                vm.RunningMark = now;
            }
        }
        foreach (var service in _services)
        {
            service.ResetStatistics();
        }
    }

    /// <summary>What the datacenter measured since the last reset, each value with its unit.</summary>
    public IReadOnlyList<Measurement> Measure()
    {
        double now = _sim.Now;
        double span = now - _measuredSince;
        var results = new List<Measurement>();
        foreach (var service in _services)
        {
            string n = service.Spec.Name;
            results.Add(new(MetricCatalogue.ServiceResponseMean.Of(n), service.Response.Mean));
            results.Add(new(MetricCatalogue.ServiceResponseP50.Of(n), service.ResponseQuantiles.Quantile(0.50)));
            results.Add(new(MetricCatalogue.ServiceResponseP95.Of(n), service.ResponseQuantiles.Quantile(0.95)));
            results.Add(new(MetricCatalogue.ServiceResponseP99.Of(n), service.ResponseQuantiles.Quantile(0.99)));
            results.Add(new(MetricCatalogue.ServiceThroughput.Of(n), span > 0 ? service.Response.Count / span : double.NaN));
            results.Add(new(MetricCatalogue.ServiceRequests.Of(n), service.Arrived));
            results.Add(new(MetricCatalogue.ServiceRequestsFailed.Of(n), service.Failed));
            if (service.Spec.RequestLimit is not null)
            {
                results.Add(new(MetricCatalogue.ServiceMakespan.Of(n), service.Makespan));
            }
            if (service.Spec.Call is not null)
            {
                results.Add(new(MetricCatalogue.ServiceCallTime.Of(n), service.CallTime.Mean));
            }
        }
        if (Functions is not null)
        {
            results.AddRange(Functions.Measure());
        }
        foreach (var batch in _batches)
        {
            results.Add(new(MetricCatalogue.BatchMakespan.Of(batch.Spec.Name), batch.FinishedAt));
            results.Add(new(MetricCatalogue.BatchTasksDone.Of(batch.Spec.Name), batch.TasksDone));
        }
        results.Add(new(MetricCatalogue.VmStartupMean.Key, _startup.Mean));
        results.Add(new(MetricCatalogue.VmStartupMax.Key, _startup.Max));
        var names = _vms.Select(v => v.Spec.Name).Distinct().ToList();
        if (names.Count > 1)
        {
            foreach (string name in names)
            {
                var started = _vms.Where(v => v.Spec.Name == name && !double.IsNaN(v.RunningSince)).ToList();
                results.Add(new(MetricCatalogue.VmGroupStartupMean.Of(name), started.Count == 0 ? double.NaN : started.Average(v => v.StartupSeconds)));
            }
        }
        results.Add(new(MetricCatalogue.VmsRunning.Key, _vms.Count(v => v.Phase == VmPhase.Running)));
        results.Add(new(MetricCatalogue.VmsRejected.Key, _rejected));
        results.Add(new(MetricCatalogue.VmCrashes.Key, _crashes));
        if (Containers is { } cluster)
        {
            var engines = cluster.Engines.ToList();
            long layerHits = engines.Sum(e => e.LayerHits), layerMisses = engines.Sum(e => e.LayerMisses);
            results.Add(new(MetricCatalogue.PodStartupMean.Key, _podStartup.Mean));
            results.Add(new(MetricCatalogue.PodStartupMax.Key, _podStartup.Max));
            results.Add(new(MetricCatalogue.PodsStarted.Key, _podStartup.Count));
            // A pod no engine can take (no room, or its host port taken on every node) waits: say so.
            results.Add(new(MetricCatalogue.PodsPending.Key, cluster.PodsPending));
            results.Add(new(MetricCatalogue.LayerBytesPulled.Key, engines.Sum(e => e.BytesPulled)));
            results.Add(new(MetricCatalogue.LayerBytesPerNode.Key, engines.Count == 0 ? double.NaN : engines.Average(e => e.BytesPulled)));
            results.Add(new(MetricCatalogue.LayerCacheHitRatio.Key, layerHits + layerMisses == 0 ? double.NaN : (double)layerHits / (layerHits + layerMisses)));
            results.Add(new(MetricCatalogue.Engines.Key, engines.Count));
            results.Add(new(MetricCatalogue.EnginesUsed.Key, engines.Count(e => e.LayerHits + e.LayerMisses > 0)));
            results.Add(new(MetricCatalogue.AutoscalerAdded.Key, cluster.ScaledOut));
            results.Add(new(MetricCatalogue.AutoscalerRemoved.Key, cluster.ScaledIn));
            foreach (var group in _podGroups)
            {
                string n = group.Spec.Pod.Name;
                var started = group.Pods.Where(p => !double.IsNaN(p.RunningSince)).ToList();
                results.Add(new(MetricCatalogue.PodGroupStartupMean.Of(n), started.Count == 0 ? double.NaN : started.Average(p => p.StartupSeconds)));
                // The time to roll the group out: from its first request to its last pod running.
                results.Add(new(MetricCatalogue.PodGroupRollout.Of(n), started.Count < group.Spec.Count ? double.NaN
                    : started.Max(p => p.RunningSince) - group.Pods.Min(p => p.RequestedAt)));
                results.Add(new(MetricCatalogue.PodGroupBytesPulled.Of(n), group.Pods.Sum(p => p.BytesPulled)));
                results.Add(new(MetricCatalogue.PodGroupPending.Of(n), group.Pods.Count(p => p.Phase == PodPhase.Pending)));
            }
        }
        double pulled = _hosts.Sum(h => h.Hypervisor.ImageBytesPulled);
        int hits = _hosts.Sum(h => h.Hypervisor.ImageHits), misses = _hosts.Sum(h => h.Hypervisor.ImageMisses);
        results.Add(new(MetricCatalogue.ImageBytesPulled.Key, pulled));
        results.Add(new(MetricCatalogue.ImageCacheHitRatio.Key, hits + misses == 0 ? double.NaN : (double)hits / (hits + misses)));
        var used = _hosts.Where(h => h.WasUsed).ToList();
        results.Add(new(MetricCatalogue.HostsUsed.Key, used.Count));
        double capacitySeconds = used.Sum(h => h.Spec.CpuCapacity * h.UsedSeconds(now));
        results.Add(new(MetricCatalogue.HostCpuUtilization.Key, capacitySeconds > 0 ? used.Sum(h => h.BusyCoreSeconds) / capacitySeconds : double.NaN));
        // The power model at each host's mean utilization while in use, for as long as it was used
        // (the model is linear, so that is the integral of its power over time).
        double joules = used.Sum(h => h.UsedSeconds(now) is var seconds and > 0
            ? h.Spec.Power.At(h.BusyCoreSeconds / (h.Spec.CpuCapacity * seconds)) * seconds : 0);
        results.Add(new(MetricCatalogue.Energy.Key, joules / 3.6e6));
        double cost = used.Sum(h => h.Spec.PricePerSecond * h.UsedSeconds(now))
            + _vms.Sum(v => v.Spec.PricePerSecond * (v.RunningSeconds + (double.IsNaN(v.RunningMark) ? 0 : now - v.RunningMark)));
        results.Add(new(MetricCatalogue.Cost.Key, cost));
        results.Add(new(MetricCatalogue.CostPerHour.Key, span > 0 ? cost / (span / 3600) : double.NaN));
        return results;
    }
}
