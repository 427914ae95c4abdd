using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Resources;

namespace VirtSim.Datacenter.Containers;

/// <summary>
/// A container runtime engine on an operating system, on bare metal or in a VM. It keeps the
/// node's layer cache, pulls the layers an image needs that the node lacks (a few at once, each
/// then unpacked in order), reserves each pod's cores, memory and host ports, and starts its
/// containers on the OS kernel it shares with them.
/// </summary>
public sealed class ContainerEngine
{
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly DatacenterNetwork _network;
    private readonly NetworkNode _registry;
    private readonly Resource _downloads;
    private readonly Resource _unpacker;
    private readonly Dictionary<string, SimEvent> _pulling = new(StringComparer.Ordinal);
    private readonly HashSet<int> _ports = [];

    internal ContainerEngine(string name, EngineGroupSpec group, Host host, VirtualMachine? vm, Simulation sim,
        FairShare fairShare, DatacenterNetwork network, NetworkNode registry)
    {
        Name = name;
        Group = group;
        Host = host;
        Vm = vm;
        _sim = sim;
        _fairShare = fairShare;
        _network = network;
        _registry = registry;
        Layers = new LayerCache(group.LayerCacheBytes);
        _downloads = new Resource(sim, group.Profile.MaxConcurrentDownloads);
        _unpacker = new Resource(sim, 1);
        CpuCapacity = vm?.Spec.Vcpus ?? host.Spec.Cores;
        MemoryCapacity = vm?.Spec.MemoryBytes ?? host.Spec.MemoryBytes;
        OsKernel = vm?.Spec.Image.Os ?? group.OsKernel;
        IdleSince = sim.Now;
    }

    /// <summary>Name, such as <c>workers-3</c>.</summary>
    public string Name { get; }

    /// <summary>The group it belongs to.</summary>
    public EngineGroupSpec Group { get; }

    /// <summary>The physical host under it.</summary>
    public Host Host { get; }

    /// <summary>The VM it runs in; null on bare metal.</summary>
    public VirtualMachine? Vm { get; }

    /// <summary>Kernel of the operating system its containers share.</summary>
    public string OsKernel { get; }

    /// <summary>Cores its pods may reserve.</summary>
    public double CpuCapacity { get; }

    /// <summary>Memory its pods may reserve, in bytes.</summary>
    public double MemoryCapacity { get; }

    /// <summary>Cores reserved by its pods.</summary>
    public double CpuReserved { get; private set; }

    /// <summary>Memory reserved by its pods.</summary>
    public double MemoryReserved { get; private set; }

    /// <summary>Pods placed on it and not yet stopped.</summary>
    public int PodCount { get; private set; }

    /// <summary>Since when it has had no pod (NaN while it has one).</summary>
    public double IdleSince { get; private set; }

    /// <summary>The node's layers.</summary>
    public LayerCache Layers { get; }

    /// <summary>Layer bytes it pulled from the registry.</summary>
    public double BytesPulled { get; private set; }

    /// <summary>Layer needs met by the node's cache (or by a pull already under way).</summary>
    public long LayerHits { get; private set; }

    /// <summary>Layer needs that started a pull.</summary>
    public long LayerMisses { get; private set; }

    /// <summary>The network interface pods on this engine are reached through.</summary>
    public NetworkNode Node => Host.Node;

    /// <summary>Whether the pod could run here now: kernel, instruction set, cores, memory, free host ports.</summary>
    public bool Admits(PodSpec pod)
    {
        foreach (var container in pod.Containers)
        {
            if (!Runs(container.Image))
            {
                return false;
            }
        }
        if (CpuReserved + pod.CpuRequest > CpuCapacity * (1 + 1e-12) || MemoryReserved + pod.MemoryBytes > MemoryCapacity * (1 + 1e-12))
        {
            return false;
        }
        foreach (int port in pod.HostPorts)
        {
            if (_ports.Contains(port))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether images of this kind run on this engine's kernel and processor.</summary>
    public bool Runs(ContainerImage image) =>
        string.Equals(image.OsKernel, OsKernel, StringComparison.Ordinal)
        && (string.Equals(image.InstructionSet, Host.Spec.InstructionSet, StringComparison.Ordinal)
            || Host.Spec.Hypervisor.Kind == HypervisorKind.Emulator);

    internal void Reserve(Pod pod)
    {
        var spec = pod.Spec;
        foreach (int port in spec.HostPorts)
        {
            if (!_ports.Add(port))
            {
                throw new InvalidOperationException($"Host port {port} is taken on {Name}: the placement did not check it.");
            }
        }
        CpuReserved += spec.CpuRequest;
        MemoryReserved += spec.MemoryBytes;
        PodCount++;
        IdleSince = double.NaN;
        if (Vm is null)
        {
            Host.Occupied(_sim.Now);
        }
        pod.CpuLimit = _fairShare.AddResource(spec.CpuRequest * Host.Spec.CoreSpeed, $"{pod}.cpu");
    }

    internal void Release(Pod pod)
    {
        var spec = pod.Spec;
        foreach (int port in spec.HostPorts)
        {
            _ports.Remove(port);
        }
        CpuReserved -= spec.CpuRequest;
        MemoryReserved -= spec.MemoryBytes;
        foreach (var container in spec.Containers)
        {
            foreach (var layer in container.Image.Layers)
            {
                Layers.Unpin(layer);
            }
        }
        if (--PodCount == 0)
        {
            IdleSince = _sim.Now;
        }
        if (Vm is null)
        {
            Host.Vacated(_sim.Now);
        }
    }

    /// <summary>
    /// Makes every layer of <paramref name="image"/> present and pinned: those the node holds are
    /// used as they are, those being pulled for another container are waited for, the rest are
    /// pulled (at most <see cref="EngineProfile.MaxConcurrentDownloads"/> at once) and unpacked.
    /// </summary>
    internal IEnumerable<Await> Pull(ContainerImage image, Pod forPod)
    {
        List<SimEvent>? waits = null;
        List<Layer>? awaited = null;
        // The layer below the current one while it is still being pulled: a layer is applied
        // on its parent's file system, so it is unpacked only once the parent is.
        SimEvent? below = null;
        foreach (var layer in image.Layers)
        {
            if (Layers.TryPin(layer))
            {
                LayerHits++;
                below = null;
                continue;
            }
            if (_pulling.TryGetValue(layer.Digest, out var underWay))
            {
                LayerHits++;
            }
            else
            {
                LayerMisses++;
                forPod.BytesPulled += layer.SizeBytes;
                underWay = new SimEvent(_sim);
                _pulling.Add(layer.Digest, underWay);
                _sim.Start(PullLayer(layer, underWay, below));
            }
            below = underWay;
            (waits ??= []).Add(underWay);
            (awaited ??= []).Add(layer);
        }
        if (waits is null)
        {
            yield break;
        }
        yield return waits.Count == 1 ? waits[0] : _sim.AllOf([.. waits]);
        foreach (var layer in awaited!)
        {
            // The puller added and pinned the layer for the first waiter; the others pin it too.
            if (!Layers.TryPin(layer))
            {
                Layers.AddPinned(layer);
            }
        }
    }

    /// <summary>Hears each layer this engine pulls, once it is unpacked (set by the cluster for the datacenter's observers).</summary>
    internal Action<LayerPull>? LayerPulled { get; set; }

    /// <summary>
    /// Downloads <paramref name="layer"/> (with up to <see cref="EngineProfile.MaxConcurrentDownloads"/>
    /// others), then unpacks it once the layer <paramref name="below"/> it, if still being pulled,
    /// is unpacked: layers download in parallel but are applied bottom first, one at a time, as
    /// containerd's and Docker's unpackers apply each layer's changes to its parent's snapshot.
    /// </summary>
    private IEnumerable<Await> PullLayer(Layer layer, SimEvent done, SimEvent? below)
    {
        double requested = _sim.Now;
        yield return _downloads.Request();
        double downloadStarted = _sim.Now;
        double weight = Vm is null ? 1 : Host.Spec.Hypervisor.IoWeight;
        foreach (var step in _network.Transfer(_registry, Node, layer.SizeBytes, weightAtDestination: weight))
        {
            yield return step;
        }
        _downloads.Release();
        BytesPulled += layer.SizeBytes;
        double downloaded = _sim.Now;
        if (below is { HasSucceeded: false })
        {
            yield return below;
        }
        // Layers are applied one at a time: decompress and write, at most at the unpack rate.
        yield return _unpacker.Request();
        double unpackStarted = _sim.Now;
        var unpack = _fairShare.CreateActivity().Uses(Host.Disk, weight);
        unpack.RateCap = Group.Profile.UnpackRate;
        yield return unpack.Run(layer.SizeBytes);
        _unpacker.Release();
        _pulling.Remove(layer.Digest);
        // Kept unpinned until the waiting containers pin it: add it as a use, then hand it over.
        Layers.AddPinned(layer);
        Layers.Unpin(layer);
        LayerPulled?.Invoke(new LayerPull(Name, Host.Name, layer.Digest, layer.SizeBytes, requested, downloadStarted, downloaded,
            unpackStarted, _sim.Now));
        done.Succeed();
    }
}
