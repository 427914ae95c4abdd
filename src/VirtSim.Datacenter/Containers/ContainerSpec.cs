using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Validation;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Containers;

/// <summary>
/// A container runtime engine's behaviour. Engines are interchangeable for the same image (OCI
/// standardizes the image and the runtime interface); they differ in how fast they start one.
/// </summary>
/// <param name="Name">Engine name, such as <c>docker</c> or <c>containerd</c>.</param>
/// <param name="ContainerStartSeconds">From an unpacked image to the main process running.</param>
/// <param name="MaxConcurrentDownloads">Layers downloaded at once by one engine.</param>
/// <param name="UnpackRate">Bytes per second at which a downloaded layer is decompressed and written; one layer at a time, in order.</param>
public sealed record EngineProfile(string Name, double ContainerStartSeconds, int MaxConcurrentDownloads, double UnpackRate)
{
    // Downloads: dockerd's --max-concurrent-downloads defaults to 3 (Docker documentation; the
    // same default is copied by containerd-based pullers). Start times are assumptions: a few
    // hundred milliseconds for runc to create namespaces and cgroups and exec the process, plus
    // the Docker daemon's own hop for docker. Unpacking: single-threaded gzip decompression, of
    // the order of 100 MB/s (an assumption; set your own). Slacker (Harter et al., FAST 2016)
    // found pulling to be 76% of container start time, which these defaults reproduce for
    // images of a few hundred megabytes on a 1 Gb/s network.

    /// <summary>Docker Engine (dockerd over containerd and runc).</summary>
    public static EngineProfile Docker { get; } = new("docker", 0.5, 3, 100e6);

    /// <summary>containerd driven directly (as Kubernetes' CRI does).</summary>
    public static EngineProfile Containerd { get; } = new("containerd", 0.3, 3, 100e6);
}

/// <summary>One container: its image, its limits, the host ports it binds.</summary>
/// <param name="Name">Name within its pod.</param>
/// <param name="Image">The image it runs.</param>
/// <param name="CpuLimit">Most cores its processes may use at once (also what placement reserves).</param>
/// <param name="MemoryBytes">Memory reserved for it.</param>
/// <param name="HostPorts">Ports of the node it binds; two containers cannot bind one port on one node.</param>
/// <param name="MainProcessCpu">CPU work of its main process, in reference core-seconds, after which the container stops; null for a server that runs until stopped.</param>
/// <param name="IsBackend">It serves the calls of the other containers of its pod (by IPC).</param>
public sealed record ContainerSpec(string Name, ContainerImage Image, double CpuLimit, double MemoryBytes,
    IReadOnlyList<int> HostPorts, Distribution? MainProcessCpu = null, bool IsBackend = false);

/// <summary>
/// How processes talk without the network: containers of one pod share an IP address and use
/// the loopback interface or shared memory; pods on one node talk through the node's bridge.
/// </summary>
public static class LocalTransport
{
    /// <summary>
    /// One-way latency between containers of a pod: 20 µs, the order of a loopback TCP or Unix
    /// socket message on Linux (an assumption; kernel and load move it by a few microseconds).
    /// </summary>
    public const double IpcLatency = 20e-6;

    /// <summary>Bytes per second copied between containers of a pod: 5 GB/s, a memory copy (an assumption).</summary>
    public const double IpcBandwidth = 5e9;

    /// <summary>
    /// One-way latency between two pods on the same node, through its virtual bridge and both
    /// pods' network stacks: 50 µs (an assumption). Pods on different nodes use the network.
    /// </summary>
    public const double NodeBridgeLatency = 50e-6;
}

/// <summary>
/// Containers placed together on one node, sharing one IP address and port space, started and
/// stopped together. A lone container is a pod of one.
/// </summary>
/// <param name="Name">Name for results.</param>
/// <param name="Containers">Its containers.</param>
public sealed record PodSpec(string Name, IReadOnlyList<ContainerSpec> Containers)
{
    /// <summary>Cores reserved on the node: the sum of the containers' limits.</summary>
    public double CpuRequest => Containers.Sum(c => c.CpuLimit);

    /// <summary>Memory reserved on the node.</summary>
    public double MemoryBytes => Containers.Sum(c => c.MemoryBytes);

    /// <summary>Every host port its containers bind.</summary>
    public IEnumerable<int> HostPorts => Containers.SelectMany(c => c.HostPorts);

    /// <summary>The ports it binds twice: its containers share one port space, so these can never start.</summary>
    public IEnumerable<int> PortClashes => HostPorts.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key);

    /// <summary>Why no such pod can be simulated, with paths in a pod's terms; empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Containers.Count == 0)
        {
            yield return new("containers", "expected at least one container");
            yield break;
        }
        for (int i = 0; i < Containers.Count; i++)
        {
            var container = Containers[i];
            if (!(container.CpuLimit > 0))
            {
                yield return new(SpecPath.Item("containers", i) + ".cpu", "expected a CPU limit above 0 cores");
            }
            if (!(container.MemoryBytes > 0))
            {
                yield return new(SpecPath.Item("containers", i) + ".memory", "expected memory above 0 bytes");
            }
        }
        foreach (int port in PortClashes.Take(1))
        {
            yield return new("containers", $"two containers of one pod bind host port {port}: they share one port space");
        }
    }
}

/// <summary>Where a group of runtime engines runs and how it grows and shrinks.</summary>
/// <param name="Name">Name of the group, which pods and services refer to.</param>
/// <param name="Profile">The engine.</param>
/// <param name="HostGroup">Run one engine on each bare-metal host of this host group; null to run engines in VMs.</param>
/// <param name="Vm">The VM each engine runs in, when not on bare metal.</param>
/// <param name="Count">Engine VMs started at the beginning.</param>
/// <param name="MaxCount">Most engine VMs the cluster autoscaler may run (Count: no autoscaling).</param>
/// <param name="ScaleDownAfter">Seconds an engine VM above Count may stay idle before the autoscaler removes it.</param>
/// <param name="LayerCacheBytes">Bytes of layers each engine's node keeps.</param>
/// <param name="OsKernel">Kernel of the operating system under the engine on bare metal (a VM's is its image's OS).</param>
public sealed record EngineGroupSpec(
    string Name,
    EngineProfile Profile,
    string? HostGroup,
    VmSpec? Vm,
    int Count,
    int MaxCount,
    double ScaleDownAfter,
    double LayerCacheBytes,
    string OsKernel = "linux")
{
    /// <summary>
    /// Why the group cannot be simulated on <paramref name="hosts"/>, with paths in an engine
    /// group's terms: its host group is unknown or runs a hypervisor, its VM could never start,
    /// or it may grow to fewer engines than it starts with; empty when it can.
    /// </summary>
    public IEnumerable<SpecError> Validate(IReadOnlyList<HostGroupSpec> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if ((HostGroup is null) == (Vm is null))
        {
            yield return new("", "expected either host_group (engines on bare-metal hosts) or vm (engines in VMs)");
            yield break;
        }
        if (HostGroup is { } group)
        {
            var members = hosts.Where(h => h.Host.Group == group).ToList();
            if (members.Count == 0)
            {
                yield return SpecError.UnknownName("host_group", "host group", group, hosts.Select(h => h.Host.Group));
            }
            else if (members.Any(h => h.Host.Hypervisor.Kind != HypervisorKind.None))
            {
                yield return new("host_group", $"host group '{group}' runs a hypervisor: engines on bare metal need hypervisor: none (or run them in a vm)");
            }
            yield break;
        }
        foreach (var error in Vm!.Validate().Concat(Vm.CheckSomeHostFits(hosts)))
        {
            yield return error.Under("vm");
        }
        if (MaxCount < Count)
        {
            yield return new("max", $"expected max to be at least count ({Count})");
        }
    }

    /// <summary>The nodes an engine of the group runs on: cores, memory, kernel and instruction set of each kind.</summary>
    private List<(double Cores, double Memory, string Kernel, string Isa)> Nodes(IReadOnlyList<HostGroupSpec> hosts) =>
        Vm is { } vm
            ? [((double)vm.Vcpus, vm.MemoryBytes, vm.Image.Os, vm.Image.InstructionSet)]
            : hosts.Where(h => h.Host.Group == HostGroup).Select(h => ((double)h.Host.Cores, h.Host.MemoryBytes, OsKernel, h.Host.InstructionSet)).ToList();

    /// <summary>
    /// Why no engine of the group could ever hold <paramref name="pod"/> (it would wait for ever):
    /// an image for another kernel or instruction set, or more cores or memory than any node has;
    /// <paramref name="what"/> names the pod in the message (default: "this pod" with its size).
    /// </summary>
    public IEnumerable<SpecError> CheckSomeEngineFits(PodSpec pod, IReadOnlyList<HostGroupSpec> hosts, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var nodes = Nodes(hosts);
        if (nodes.Count == 0)
        {
            yield break;
        }
        foreach (var container in pod.Containers)
        {
            if (nodes.All(n => n.Kernel != container.Image.OsKernel))
            {
                yield return new("", $"image '{container.Image.Name}' needs a {container.Image.OsKernel} kernel; the engines of '{Name}' run on {nodes[0].Kernel}");
                yield break;
            }
            if (nodes.All(n => n.Isa != container.Image.InstructionSet))
            {
                yield return new("", $"image '{container.Image.Name}' is built for {container.Image.InstructionSet}; the engines of '{Name}' run on {nodes[0].Isa}");
                yield break;
            }
        }
        if (!nodes.Any(n => pod.CpuRequest <= n.Cores && pod.MemoryBytes <= n.Memory))
        {
            yield return new("", $"no engine of '{Name}' is large enough for {what ?? $"this pod ({pod.CpuRequest:G4} cores, {pod.MemoryBytes / 1e9:G4} GB)"}, so it could never start");
        }
    }

    /// <summary>The most engines the group can ever have: its hosts on bare metal, its maximum in VMs.</summary>
    public int MostEngines(IReadOnlyList<HostGroupSpec> hosts) =>
        Vm is null ? hosts.Where(h => h.Host.Group == HostGroup).Sum(h => h.Count) : MaxCount;
}
