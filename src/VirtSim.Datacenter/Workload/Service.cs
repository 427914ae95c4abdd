using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;
using VirtSim.Kernel.Resources;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter.Workload;

/// <summary>
/// A running service: its requests arrive, the load balancer hands each to a running replica
/// (holding them while none runs yet), and each request does its CPU work, its disk read and
/// sends its response, in that order, on the shared resources of the replica's host.
/// </summary>
internal sealed class Service : IVmOwner, IPodOwner
{
    // VMs and pods alike serve it.
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly DatacenterNetwork _network;
    private readonly NetworkNode _gateway;
    private readonly Sampler _interarrival;
    private readonly Sampler _cpu;
    private readonly List<IReplica> _replicas = [];
    private readonly Queue<double> _held = new();
    private readonly List<IReplica> _backends = [];
    private readonly Dictionary<IReplica, Resource> _workers = [];
    private readonly Dictionary<IReplica, int> _assigned = [];
    private readonly Sampler? _callCpu;
    private int _next;
    private int _nextBackend;
    private long _sent;
    private long _ended;
    private double _lastEnd = double.NaN;

    public Service(ServiceSpec spec, Simulation sim, FairShare fairShare, DatacenterNetwork network, NetworkNode gateway)
    {
        Spec = spec;
        _sim = sim;
        _fairShare = fairShare;
        _network = network;
        _gateway = gateway;
        _interarrival = spec.Interarrival.Bind(sim.Streams[$"{spec.Name}.arrivals"]);
        _cpu = spec.Request.Cpu.Bind(sim.Streams[$"{spec.Name}.cpu"]);
        _callCpu = spec.Call?.Cpu.Bind(sim.Streams[$"{spec.Name}.call"]);
        BackendOwner = new Backends(this);
    }

    /// <summary>Hears of the service's separate backend pods.</summary>
    public IPodOwner BackendOwner { get; }

    /// <summary>Time from issuing the call to having the reply.</summary>
    public Tally CallTime { get; } = new();

    private sealed class Backends(Service service) : IPodOwner
    {
        public void Running(Pod pod)
        {
            service._backends.Add(pod);
            service.ServeHeld();
        }

        public void Stopped(Pod pod) => service._backends.Remove(pod);
    }

    public ServiceSpec Spec { get; }

    /// <summary>Requests lost because their replica crashed under them.</summary>
    public long Failed { get; private set; }

    /// <summary>Requests that arrived.</summary>
    public long Arrived { get; private set; }

    public Tally Response { get; } = new();

    public QuantileSketch ResponseQuantiles { get; } = new();

    /// <summary>
    /// With a <see cref="ServiceSpec.RequestLimit"/>: when the last request ended (answered or
    /// failed), in seconds from the start of the run, once every request has; otherwise NaN.
    /// Kept across the end of the warm-up.
    /// </summary>
    public double Makespan => Spec.RequestLimit is { } limit && _ended == limit ? _lastEnd : double.NaN;

    public IEnumerable<Await> Arrivals()
    {
        while (Spec.RequestLimit is not { } limit || _sent < limit)
        {
            yield return _sim.Delay(_interarrival.Sample());
            _sent++;
            Arrived++;
            _held.Enqueue(_sim.Now);
            ServeHeld();
        }
    }

    public void Running(VirtualMachine vm) => ReplicaUp(vm);

    public void Crashed(VirtualMachine vm) => ReplicaDown(vm);

    public void Running(Pod pod) => ReplicaUp(pod);

    public void Stopped(Pod pod) => ReplicaDown(pod);

    /// <summary>Requests can be served: a replica runs, and so does a backend if the calls need a separate one.</summary>
    private bool Ready => _replicas.Count > 0 && (Spec.Backend is null || _backends.Count > 0);

    /// <summary>A replica can take requests: first the ones held while none could.</summary>
    public void ReplicaUp(IReplica replica)
    {
        _replicas.Add(replica);
        ServeHeld();
    }

    /// <summary>
    /// The load balancer's queue: requests wait here, first come first served, until a replica
    /// has a free worker, so a replica that starts first is not handed the whole backlog.
    /// </summary>
    private void ServeHeld()
    {
        while (Ready && _held.Count > 0 && Pick() is { } replica)
        {
            Dispatch(replica, _held.Dequeue());
        }
    }

    private bool HasFreeWorker(IReplica replica) => _assigned.GetValueOrDefault(replica) < Spec.Workers;

    /// <summary>A replica is gone: the requests in progress on it fail.</summary>
    public void ReplicaDown(IReplica replica)
    {
        _replicas.Remove(replica);
        foreach (var request in replica.Requests.ToArray())
        {
            request.Interrupt(replica);
        }
    }

    /// <summary>The replica the next request goes to, among those with a free worker; null if none has one.</summary>
    private IReplica? Pick()
    {
        if (Spec.Balancing == Balancing.RoundRobin)
        {
            for (int tried = 0; tried < _replicas.Count; tried++)
            {
                _next = (_next + 1) % _replicas.Count;
                if (HasFreeWorker(_replicas[_next]))
                {
                    return _replicas[_next];
                }
            }
            return null;
        }
        IReplica? best = null;
        foreach (var candidate in _replicas)
        {
            if (HasFreeWorker(candidate) && (best is null || candidate.Requests.Count < best.Requests.Count))
            {
                best = candidate;
            }
        }
        return best;
    }

    private void Dispatch(IReplica replica, double arrivedAt)
    {
        _assigned[replica] = _assigned.GetValueOrDefault(replica) + 1;
        double cpuWork = _cpu.Sample();
        _sim.Start(self => Serve(self, replica, arrivedAt, cpuWork));
    }

    private IEnumerable<Await> Serve(Process self, IReplica replica, double arrivedAt, double cpuWork)
    {
        replica.Requests.Add(self);
        // A replica serves as many requests at once as it has workers; the others wait in line.
        if (!_workers.TryGetValue(replica, out var workers))
        {
            workers = new Resource(_sim, Spec.Workers);
            _workers.Add(replica, workers);
        }
        yield return workers.Request();
        if (self.WasInterrupted)
        {
            _assigned[replica]--;
            Fail(replica, self);
            yield break;
        }
        try
        {
            foreach (var step in Work(self, replica, arrivedAt, cpuWork))
            {
                yield return step;
            }
        }
        finally
        {
            workers.Release();
            _assigned[replica]--;
            ServeHeld();
        }
    }

    private IEnumerable<Await> Work(Process self, IReplica replica, double arrivedAt, double cpuWork)
    {
        var host = replica.Host;
        double weight = replica.CpuWeight;
        var cpu = ReplicaWork.Cpu(replica, _fairShare);
        yield return cpu.Run(cpuWork);
        if (self.WasInterrupted)
        {
            host.CountBusy(cpu.WorkDone, weight);
            cpu.Cancel();
            Fail(replica, self);
            yield break;
        }
        host.CountBusy(cpuWork, weight);
        if (Spec.Request.DiskBytes > 0)
        {
            var read = replica.ReadDisk(Spec.Request.DiskBytes);
            yield return read;
            if (self.WasInterrupted)
            {
                ((Activity)read.Target!).Cancel();
                Fail(replica, self);
                yield break;
            }
        }
        if (Spec.Call is { } call)
        {
            if (Spec.Backend is not null && _backends.Count == 0)
            {
                // Every backend pod is gone: the call cannot be made.
                Fail(replica, self);
                yield break;
            }
            double calledAt = _sim.Now;
            foreach (var step in Call(replica, call, _callCpu!.Sample()))
            {
                yield return step;
            }
            CallTime.Add(_sim.Now - calledAt);
        }
        // A response already leaving the host is delivered even if the replica fails meanwhile.
        replica.Requests.Remove(self);
        foreach (var step in _network.Transfer(host.Node, _gateway, Spec.Request.NetworkBytes,
                     weightAtSource: replica.IoWeight, alsoUses: replica.NetworkLimit))
        {
            yield return step;
        }
        double response = _sim.Now - arrivedAt;
        Response.Add(response);
        ResponseQuantiles.Add(response);
        Ended();
    }

    private void Ended()
    {
        _ended++;
        _lastEnd = _sim.Now;
    }

    /// <summary>
    /// The call to the backend: by IPC to a backend container of the same pod, or to a backend
    /// pod through the node's bridge when it shares the node, else over the network.
    /// </summary>
    private IEnumerable<Await> Call(IReplica caller, CallSpec call, double backendWork)
    {
        bool samePod = caller is Pod pod && pod.Spec.Containers.Any(c => c.IsBackend);
        IReplica backend = caller;
        if (!samePod)
        {
            _nextBackend = (_nextBackend + 1) % _backends.Count;
            backend = _backends[_nextBackend];
        }
        foreach (var step in Send(caller, backend, samePod, call.RequestBytes))
        {
            yield return step;
        }
        var cpu = ReplicaWork.Cpu(backend, _fairShare);
        yield return cpu.Run(backendWork);
        backend.Host.CountBusy(backendWork, backend.CpuWeight);
        foreach (var step in Send(backend, caller, samePod, call.ReplyBytes))
        {
            yield return step;
        }
    }

    private IEnumerable<Await> Send(IReplica from, IReplica to, bool samePod, double bytes)
    {
        if (samePod)
        {
            yield return _sim.Delay(LocalTransport.IpcLatency + bytes / LocalTransport.IpcBandwidth);
        }
        else if (ReferenceEquals(from.Host, to.Host))
        {
            yield return _sim.Delay(LocalTransport.NodeBridgeLatency + bytes / LocalTransport.IpcBandwidth);
        }
        else
        {
            foreach (var step in _network.Transfer(from.Host.Node, to.Host.Node, bytes, from.IoWeight, to.IoWeight))
            {
                yield return step;
            }
        }
    }

    private void Fail(IReplica replica, Process request)
    {
        replica.Requests.Remove(request);
        Failed++;
        Ended();
    }

    public void ResetStatistics()
    {
        Response.Reset();
        ResponseQuantiles.Reset();
        CallTime.Reset();
        Failed = 0;
        Arrived = 0;
    }
}

/// <summary>
/// A running batch job: each VM, once running, starts its share of the tasks at once. Tasks a
/// crash interrupts start over when their VM runs again.
/// </summary>
internal sealed class Batch : IVmOwner, IPodOwner
{
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly Sampler _taskCpu;
    private int _replicasSeen;
    private readonly Dictionary<VirtualMachine, List<(Activity Task, double Work)>> _tasks = [];

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

    public void Running(VirtualMachine vm)
    {
        if (_tasks.TryGetValue(vm, out var restarted))
        {
            foreach (var (task, work) in restarted)
            {
                if (!task.IsRunning && task.WorkDone < work)
                {
                    task.Start(work);
                }
            }
            return;
        }
        var mine = new List<(Activity, double)>();
        _tasks.Add(vm, mine);
        int replica = _replicasSeen++;
        var host = vm.Host!;
        double weight = vm.CpuWeight;
        for (int task = replica; task < Spec.Tasks; task += Spec.Replicas)
        {
            double work = _taskCpu.Sample();
            var activity = ReplicaWork.Cpu(vm, _fairShare);
            activity.Completed = _ =>
            {
                host.CountBusy(work, weight);
                if (++TasksDone == Spec.Tasks)
                {
                    FinishedAt = _sim.Now;
                }
            };
            activity.Start(work);
            mine.Add((activity, work));
        }
    }

    public void Running(Pod pod)
    {
    }

    /// <summary>A task's pod stopped: its main process, the task, ended.</summary>
    public void Stopped(Pod pod)
    {
        // A pod lost with its VM is started again after the restart; only a finished one counts.
        if (pod.Completed && ++TasksDone == Spec.Tasks)
        {
            FinishedAt = _sim.Now;
        }
    }

    public void Crashed(VirtualMachine vm)
    {
        double weight = vm.CpuWeight;
        foreach (var (task, _) in _tasks[vm])
        {
            if (task.IsRunning)
            {
                vm.Host!.CountBusy(task.WorkDone, weight);
                task.Cancel();
            }
        }
    }
}
