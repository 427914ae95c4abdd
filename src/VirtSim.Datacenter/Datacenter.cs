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
    private readonly Queue<(VirtualMachine Vm, Action<VirtualMachine> OnRunning)> _waiting = new();
    private readonly List<VirtualMachine> _vms = [];
    private readonly List<Service> _services = [];
    private readonly List<Batch> _batches = [];
    private readonly NetworkNode _repository;
    private readonly NetworkNode _gateway;
    private readonly Tally _startup = new();
    private int _rejected;
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
        BuildHosts();
        _services.AddRange(spec.Services.Select(s => new Service(s, simulation, _fairShare, Network, _gateway)));
        _batches.AddRange(spec.Batches.Select(b => new Batch(b, simulation, _fairShare)));
    }

    /// <summary>The network.</summary>
    public DatacenterNetwork Network { get; }

    /// <summary>Every host, group by group.</summary>
    public IReadOnlyList<Host> Hosts => _hosts;

    /// <summary>Every VM asked for so far, in order.</summary>
    public IReadOnlyList<VirtualMachine> Vms => _vms;

    /// <summary>Lets <paramref name="observer"/> hear every VM phase change.</summary>
    public void AddObserver(IDatacenterObserver observer) => _observers.Add(observer);

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
        foreach (var service in _services)
        {
            for (int i = 0; i < service.Spec.Replicas; i++)
            {
                RequestVm(service.Spec.Vm, service.ReplicaRunning);
            }
            _sim.Start(service.Arrivals());
        }
        foreach (var batch in _batches)
        {
            for (int i = 0; i < batch.Spec.Replicas; i++)
            {
                RequestVm(batch.Spec.Vm, batch.ReplicaRunning);
            }
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
            RequestVm(group.Vm, group.Lifetime is { } lifetime ? vm => _sim.Start(LiveThenDestroy(vm, lifetime)) : static _ => { });
        }
    }

    private IEnumerable<Await> LiveThenDestroy(VirtualMachine vm, double lifetime)
    {
        yield return _sim.Delay(lifetime);
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
    /// starts it; <paramref name="onRunning"/> hears when it runs. A VM no host admits waits or is
    /// rejected, as the admission policy says.
    /// </summary>
    public VirtualMachine RequestVm(VmSpec spec, Action<VirtualMachine> onRunning)
    {
        var vm = new VirtualMachine(spec, _vms.Count) { RequestedAt = _sim.Now };
        _vms.Add(vm);
        Announce(vm, VmPhase.Requested);
        if (!TryPlace(vm, onRunning))
        {
            if (_spec.Admission == AdmissionPolicy.Reject)
            {
                _rejected++;
                Announce(vm, VmPhase.Rejected);
            }
            else
            {
                Announce(vm, VmPhase.Queued);
                _waiting.Enqueue((vm, onRunning));
            }
        }
        return vm;
    }

    private bool TryPlace(VirtualMachine vm, Action<VirtualMachine> onRunning)
    {
        var host = _spec.Placement.Choose(vm.Spec, PoolFor(vm.Spec));
        if (host is null)
        {
            return false;
        }
        host.Hypervisor.Reserve(vm);
        Update(host);
        Announce(vm, VmPhase.Placed);
        _sim.Start(StartVm(vm, onRunning));
        return true;
    }

    private IEnumerable<Await> StartVm(VirtualMachine vm, Action<VirtualMachine> onRunning)
    {
        foreach (var step in vm.Host!.Hypervisor.Start(vm))
        {
            yield return step;
        }
        onRunning(vm);
    }

    private void AdmitWaiting()
    {
        // Strictly first come, first served: the head waits until it fits.
        while (_waiting.Count > 0 && TryPlace(_waiting.Peek().Vm, _waiting.Peek().OnRunning))
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
        }
        foreach (var observer in _observers)
        {
            observer.VmPhaseChanged(vm, phase, now);
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

    /// <summary>Forgets what was measured so far: the end of the warm-up.</summary>
    public void ResetStatistics()
    {
        double now = _sim.Now;
        _measuredSince = now;
        _startup.Reset();
        _rejected = 0;
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
            results.Add(new($"{n}.response_time_mean", "s", service.Response.Mean));
            results.Add(new($"{n}.response_time_p50", "s", service.ResponseQuantiles.Quantile(0.50)));
            results.Add(new($"{n}.response_time_p95", "s", service.ResponseQuantiles.Quantile(0.95)));
            results.Add(new($"{n}.response_time_p99", "s", service.ResponseQuantiles.Quantile(0.99)));
            results.Add(new($"{n}.throughput", "1/s", span > 0 ? service.Response.Count / span : double.NaN));
        }
        foreach (var batch in _batches)
        {
            results.Add(new($"{batch.Spec.Name}.makespan", "s", batch.FinishedAt));
            results.Add(new($"{batch.Spec.Name}.tasks_done", "tasks", batch.TasksDone));
        }
        results.Add(new("vm_startup_mean", "s", _startup.Mean));
        results.Add(new("vm_startup_max", "s", _startup.Max));
        results.Add(new("vms_running", "VMs", _vms.Count(v => v.Phase == VmPhase.Running)));
        results.Add(new("vms_rejected", "VMs", _rejected));
        double pulled = _hosts.Sum(h => h.Hypervisor.ImageBytesPulled);
        int hits = _hosts.Sum(h => h.Hypervisor.ImageHits), misses = _hosts.Sum(h => h.Hypervisor.ImageMisses);
        results.Add(new("image_bytes_pulled", "B", pulled));
        results.Add(new("image_cache_hit_ratio", "fraction", hits + misses == 0 ? double.NaN : (double)hits / (hits + misses)));
        var used = _hosts.Where(h => h.WasUsed).ToList();
        results.Add(new("hosts_used", "hosts", used.Count));
        double capacitySeconds = used.Sum(h => h.Spec.CpuCapacity * h.UsedSeconds(now));
        results.Add(new("host_cpu_utilization", "fraction", capacitySeconds > 0 ? used.Sum(h => h.BusyCoreSeconds) / capacitySeconds : double.NaN));
        // Linear power: idle power while in use, plus (peak − idle) times the busy share.
        double joules = used.Sum(h => h.Spec.Power.IdleWatts * h.UsedSeconds(now)
            + (h.Spec.Power.PeakWatts - h.Spec.Power.IdleWatts) * h.BusyCoreSeconds / h.Spec.CpuCapacity);
        results.Add(new("energy", "kWh", joules / 3.6e6));
        double cost = used.Sum(h => h.Spec.PricePerSecond * h.UsedSeconds(now))
            + _vms.Sum(v => v.Spec.PricePerSecond * (v.RunningSeconds + (double.IsNaN(v.RunningMark) ? 0 : now - v.RunningMark)));
        results.Add(new("cost", "money", cost));
        results.Add(new("cost_per_hour", "money/h", span > 0 ? cost / (span / 3600) : double.NaN));
        return results;
    }
}
