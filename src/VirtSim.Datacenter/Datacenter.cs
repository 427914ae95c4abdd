using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Validation;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter;

/// <summary>
/// The simulated datacenter: hosts wired by a network, an image repository, hypervisors that
/// admit and start VMs, and the services and batch jobs that run in them. Built from a
/// <see cref="DatacenterSpec"/>; it does no I/O, and tells its observers what happens.
/// </summary>
/// <remarks>
/// This file composes the parts and starts them. Each concern has a file of its own:
/// <c>Datacenter.Wiring.cs</c> (hosts on the network's topology), <c>.Vms.cs</c> (admission,
/// placement, VM groups, failures and destruction), <c>.Pods.cs</c> (plain pod groups),
/// <c>.Monitoring.cs</c> (health checks and utilization samples) and <c>.Measure.cs</c> (what a run
/// measured, energy and cost included).
/// </remarks>
public sealed partial class Datacenter : IVmProvider
{
    private readonly Simulation _sim;
    private readonly DatacenterSpec _spec;
    private readonly FairShare _fairShare;
    private readonly List<Host> _hosts = [];
    private readonly List<Hypervisor> _hypervisors = [];
    private readonly List<List<(HostPool Pool, int Position)>> _poolsOfHost = [];
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
        // What the scenario readers refuse, the model refuses too, with the same words.
        SpecException.ThrowIfAny(spec.Validate());
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

    /// <summary>The hypervisor of each host, in the order of <see cref="Hosts"/>.</summary>
    public IReadOnlyList<Hypervisor> Hypervisors => _hypervisors;

    /// <summary>Every VM asked for so far, in order.</summary>
    public IReadOnlyList<VirtualMachine> Vms => _vms;

    /// <summary>Lets <paramref name="observer"/> hear every VM and pod phase change, layer pull, cold start and sample.</summary>
    public void AddObserver(IDatacenterObserver observer)
    {
        _observers.Add(observer);
        if (Functions is not null)
        {
            Functions.ColdStarted ??= ColdStarted;
        }
        if (Containers is not null)
        {
            Containers.LayerPulled ??= LayerPulled;
        }
    }

    private void LayerPulled(Containers.LayerPull pull)
    {
        foreach (var observer in _observers)
        {
            observer.LayerPulled(pull);
        }
    }

    private void ColdStarted(Serverless.ColdStart start)
    {
        foreach (var observer in _observers)
        {
            observer.FunctionColdStarted(start);
        }
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
}
