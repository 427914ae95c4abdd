using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Workload;

/// <summary>What one request asks of the VM that serves it, in the order it does it.</summary>
/// <param name="Cpu">CPU work, in core-seconds of the reference core.</param>
/// <param name="DiskBytes">Bytes read from the host's disk.</param>
/// <param name="NetworkBytes">Bytes of the response sent to the clients' gateway.</param>
public sealed record RequestSpec(Distribution Cpu, double DiskBytes, double NetworkBytes);

/// <summary>A call each request makes to a backend, and what the backend does for it.</summary>
/// <param name="Cpu">CPU work of the backend per call, in reference core-seconds.</param>
/// <param name="RequestBytes">Bytes sent to the backend.</param>
/// <param name="ReplyBytes">Bytes it sends back.</param>
public sealed record CallSpec(Distribution Cpu, double RequestBytes, double ReplyBytes);

/// <summary>A backend deployed as pods of its own, reached over the network.</summary>
/// <param name="Pod">The backend's pod.</param>
/// <param name="EngineGroup">The engine group it runs in.</param>
/// <param name="Replicas">How many backend pods; calls go to them in turn.</param>
public sealed record BackendSpec(PodSpec Pod, string EngineGroup, int Replicas);

/// <summary>How a load balancer picks a replica.</summary>
public enum Balancing
{
    /// <summary>Each replica in turn.</summary>
    RoundRobin,

    /// <summary>The replica with the fewest requests in progress (first on ties).</summary>
    LeastLoaded,
}

/// <summary>A service deployed as VMs, or as pods of containers, behind a load balancer.</summary>
/// <param name="Name">Name, used as the prefix of its metrics.</param>
/// <param name="Interarrival">Time between requests (exponential: Poisson arrivals).</param>
/// <param name="Request">What each request demands.</param>
/// <param name="Vm">The VM each replica runs in; null when it runs in pods.</param>
/// <param name="Replicas">How many replicas.</param>
/// <param name="Balancing">How requests are spread over the replicas.</param>
/// <param name="Pod">The pod each replica is, when not a VM.</param>
/// <param name="EngineGroup">The engine group its pods run in.</param>
/// <param name="Call">A call each request makes after its own work, or null.</param>
/// <param name="Backend">Where the call goes when not to a backend container of the same pod.</param>
/// <param name="Workers">Requests one replica serves at once; the rest wait their turn, first come first
/// served. Default 200, Apache Tomcat's default maxThreads.</param>
/// <param name="RequestLimit">Requests sent in all, then no more (a job); null: they never stop.</param>
public sealed record ServiceSpec(string Name, Distribution Interarrival, RequestSpec Request, VmSpec? Vm, int Replicas,
    Balancing Balancing, PodSpec? Pod = null, string? EngineGroup = null, CallSpec? Call = null, BackendSpec? Backend = null,
    int Workers = 200, long? RequestLimit = null);

/// <summary>
/// A batch job: tasks spread over VMs, all started as soon as their VM runs; or, in containers,
/// one pod per task whose main process is the task, stopping when it ends.
/// </summary>
/// <param name="Name">Name, used as the prefix of its metrics.</param>
/// <param name="Tasks">Number of tasks.</param>
/// <param name="TaskCpu">CPU work of one task, in reference core-seconds; one task uses at most one core.</param>
/// <param name="Vm">The VM the tasks run in; null when they run as pods.</param>
/// <param name="Replicas">How many VMs; task i goes to VM i mod replicas.</param>
/// <param name="Pod">The pod of one task (its containers' main process work is the task's), when not in VMs.</param>
/// <param name="EngineGroup">The engine group the pods run in.</param>
public sealed record BatchSpec(string Name, int Tasks, Distribution TaskCpu, VmSpec? Vm, int Replicas,
    PodSpec? Pod = null, string? EngineGroup = null);

/// <summary>Plain VMs, asked for one after another and optionally destroyed after a lifetime.</summary>
/// <param name="Vm">The VM.</param>
/// <param name="Count">How many.</param>
/// <param name="Interval">Time between two requests, in seconds (0: all at once).</param>
/// <param name="Lifetime">How long each runs before it is destroyed, in seconds; null: until the end.</param>
public sealed record VmGroupSpec(VmSpec Vm, int Count, double Interval = 0, double? Lifetime = null);

/// <summary>Plain pods, asked for from a given time on, one after another.</summary>
/// <param name="Pod">The pod.</param>
/// <param name="EngineGroup">The engine group it runs in.</param>
/// <param name="Count">How many.</param>
/// <param name="StartAt">When the first is asked for, in seconds.</param>
/// <param name="Interval">Time between two requests, in seconds (0: all at once).</param>
public sealed record PodGroupSpec(PodSpec Pod, string EngineGroup, int Count, double StartAt = 0, double Interval = 0);
