using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter.Workload;

/// <summary>
/// A running service: its requests arrive, the load balancer hands each to a running replica
/// (holding them while none runs yet), and each request does its CPU work, its disk read and
/// sends its response, in that order, on the shared resources of the replica's host.
/// </summary>
internal sealed class Service
{
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly DatacenterNetwork _network;
    private readonly NetworkNode _gateway;
    private readonly Sampler _interarrival;
    private readonly Sampler _cpu;
    private readonly List<VirtualMachine> _replicas = [];
    private readonly Queue<double> _held = new();
    private int _next;

    public Service(ServiceSpec spec, Simulation sim, FairShare fairShare, DatacenterNetwork network, NetworkNode gateway)
    {
        Spec = spec;
        _sim = sim;
        _fairShare = fairShare;
        _network = network;
        _gateway = gateway;
        _interarrival = spec.Interarrival.Bind(sim.Streams[$"{spec.Name}.arrivals"]);
        _cpu = spec.Request.Cpu.Bind(sim.Streams[$"{spec.Name}.cpu"]);
    }

    public ServiceSpec Spec { get; }

    public Tally Response { get; } = new();

    public QuantileSketch ResponseQuantiles { get; } = new();

    public IEnumerable<Await> Arrivals()
    {
        while (true)
        {
            yield return _sim.Delay(_interarrival.Sample());
            if (_replicas.Count == 0)
            {
                _held.Enqueue(_sim.Now);
            }
            else
            {
                Dispatch(_sim.Now);
            }
        }
    }

    public void ReplicaRunning(VirtualMachine vm)
    {
        _replicas.Add(vm);
        while (_held.Count > 0)
        {
            Dispatch(_held.Dequeue());
        }
    }

    private void Dispatch(double arrivedAt)
    {
        VirtualMachine replica;
        if (Spec.Balancing == Balancing.RoundRobin)
        {
            replica = _replicas[_next++ % _replicas.Count];
        }
        else
        {
            replica = _replicas[0];
            foreach (var candidate in _replicas)
            {
                if (candidate.InFlight < replica.InFlight)
                {
                    replica = candidate;
                }
            }
        }
        _sim.Start(Serve(replica, arrivedAt, _cpu.Sample()));
    }

    private IEnumerable<Await> Serve(VirtualMachine vm, double arrivedAt, double cpuWork)
    {
        vm.InFlight++;
        var host = vm.Host!;
        var hypervisor = host.Hypervisor;
        // Each unit of guest work costs 1 / efficiency of host CPU, more when memory is paged out;
        // one request runs on one core at most.
        double weight = host.PagingFactor / hypervisor.Spec.CpuEfficiency;
        var cpu = _fairShare.CreateActivity().Uses(host.Cpu, weight).Uses(vm.VcpuLimit!, weight);
        cpu.RateCap = host.Spec.CoreSpeed / weight;
        yield return cpu.Run(cpuWork);
        host.BusyCoreSeconds += cpuWork * weight;
        if (Spec.Request.DiskBytes > 0)
        {
            yield return hypervisor.ReadDisk(Spec.Request.DiskBytes);
        }
        foreach (var step in _network.Transfer(host.Node, _gateway, Spec.Request.NetworkBytes, weightAtSource: 1 / hypervisor.Spec.IoEfficiency))
        {
            yield return step;
        }
        vm.InFlight--;
        double response = _sim.Now - arrivedAt;
        Response.Add(response);
        ResponseQuantiles.Add(response);
    }

    public void ResetStatistics()
    {
        Response.Reset();
        ResponseQuantiles.Reset();
    }
}

/// <summary>A running batch job: each VM, once running, starts its share of the tasks at once.</summary>
internal sealed class Batch
{
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly Sampler _taskCpu;
    private int _replicasSeen;

    public Batch(BatchSpec spec, Simulation sim, FairShare fairShare)
    {
        Spec = spec;
        _sim = sim;
        _fairShare = fairShare;
        _taskCpu = spec.TaskCpu.Bind(sim.Streams[$"{spec.Name}.tasks"]);
    }

    public BatchSpec Spec { get; }

    public int TasksDone { get; private set; }

    public double FinishedAt { get; private set; } = double.NaN;

    public void ReplicaRunning(VirtualMachine vm)
    {
        int replica = _replicasSeen++;
        var host = vm.Host!;
        double weight = host.PagingFactor / host.Hypervisor.Spec.CpuEfficiency;
        for (int task = replica; task < Spec.Tasks; task += Spec.Replicas)
        {
            double work = _taskCpu.Sample();
            var activity = _fairShare.CreateActivity().Uses(host.Cpu, weight).Uses(vm.VcpuLimit!, weight);
            activity.RateCap = host.Spec.CoreSpeed / weight;
            activity.Completed = _ =>
            {
                host.BusyCoreSeconds += work * weight;
                if (++TasksDone == Spec.Tasks)
                {
                    FinishedAt = _sim.Now;
                }
            };
            activity.Start(work);
        }
    }
}
