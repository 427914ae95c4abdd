using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Virtualization;

/// <summary>
/// The hypervisor of one host: it admits a VM only if the host's free cores, memory and disk
/// suffice, creates it (image from the cache or the repository, boot loader, operating system
/// read from the image at disk bandwidth, start-up, provisioning), enforces its vCPU limit,
/// and on destruction scrubs its memory and disk before the space is free again, so that no
/// later VM sees anything of it. On bare metal (<see cref="HypervisorKind.None"/>) there is
/// nothing to transfer or boot: services are installed on the running operating system.
/// </summary>
public sealed class Hypervisor
{
    private readonly Simulation _sim;
    private readonly FairShare _fairShare;
    private readonly DatacenterNetwork _network;
    private readonly NetworkNode _repository;
    private readonly Action<VirtualMachine, VmPhase> _announce;
    private readonly Dictionary<VmImage, SimEvent> _fetching = [];

    internal Hypervisor(Host host, Simulation sim, FairShare fairShare, DatacenterNetwork network,
        NetworkNode repository, double memoryScrubRate, Action<VirtualMachine, VmPhase> announce)
    {
        Host = host;
        Spec = host.Spec.Hypervisor;
        Images = new ImageCache(host.Spec.ImageCache);
        _sim = sim;
        _fairShare = fairShare;
        _network = network;
        _repository = repository;
        MemoryScrubRate = memoryScrubRate;
        _announce = announce;
    }

    /// <summary>The host it runs.</summary>
    public Host Host { get; }

    /// <summary>Images kept on the host's local disk.</summary>
    public ImageCache Images { get; }

    /// <summary>Its kind and costs.</summary>
    public HypervisorSpec Spec { get; }

    /// <summary>Bytes of memory zeroed per second when a VM is destroyed.</summary>
    public double MemoryScrubRate { get; }

    /// <summary>Image bytes this host pulled from the repository.</summary>
    public double ImageBytesPulled { get; private set; }

    /// <summary>Image needs served from the local cache.</summary>
    public int ImageHits { get; private set; }

    /// <summary>Image needs that required a transfer (or waiting for one already under way).</summary>
    public int ImageMisses { get; private set; }

    /// <summary>Whether the host can run code built for <paramref name="instructionSet"/>.</summary>
    public bool Runs(string instructionSet) =>
        Spec.Kind == HypervisorKind.Emulator || string.Equals(instructionSet, Host.Spec.InstructionSet, StringComparison.Ordinal);

    /// <summary>Admission control: whether the free cores, memory and disk suffice for <paramref name="vm"/>.</summary>
    public bool CanAdmit(VmSpec vm) =>
        Runs(vm.Image.InstructionSet)
        && vm.Vcpus <= Host.FreeVcpus
        && vm.MemoryBytes <= Host.FreeMemory
        && vm.DiskBytes <= Host.FreeDisk;

    /// <summary>Reserves the VM's resources; call only after <see cref="CanAdmit"/>.</summary>
    internal void Reserve(VirtualMachine vm)
    {
        if (!CanAdmit(vm.Spec))
        {
            throw new InvalidOperationException($"{Host} cannot admit {vm}: admission control was bypassed.");
        }
        Host.VcpusReserved += vm.Spec.Vcpus;
        Host.MemoryReserved += vm.Spec.MemoryBytes;
        Host.DiskReserved += vm.Spec.DiskBytes;
        Host.Occupied(_sim.Now);
        vm.Hypervisor = this;
        vm.VcpuLimit = _fairShare.AddResource(vm.Spec.Vcpus * Host.Spec.CoreSpeed, $"{vm}.vcpus");
        if (double.IsFinite(vm.Spec.DiskLimit))
        {
            vm.DiskLimit = _fairShare.AddResource(vm.Spec.DiskLimit, $"{vm}.disk");
        }
        if (double.IsFinite(vm.Spec.NetworkLimit))
        {
            vm.NetworkLimit = _fairShare.AddResource(vm.Spec.NetworkLimit, $"{vm}.network");
        }
    }

    /// <summary>The start of a placed VM, phase by phase, up to running.</summary>
    internal IEnumerable<Await> Start(VirtualMachine vm)
    {
        if (Spec.Kind != HypervisorKind.None)
        {
            foreach (var step in ObtainImage(vm))
            {
                yield return step;
            }
            foreach (var step in Boot(vm))
            {
                yield return step;
            }
        }
        var provisioning = vm.Spec.Provisioning;
        if (provisioning.DownloadBytes > 0 || provisioning.InstallSeconds > 0)
        {
            _announce(vm, VmPhase.Provisioning);
            // Provisioning runs in the guest: its download passes through the hypervisor's I/O path.
            foreach (var step in _network.Transfer(_repository, Host.Node, provisioning.DownloadBytes,
                weightAtDestination: Spec.IoWeight, alsoUses: vm.NetworkLimit))
            {
                yield return step;
            }
            yield return _sim.Delay(provisioning.InstallSeconds * Spec.Slowdown);
        }
        _announce(vm, VmPhase.Running);
    }

    /// <summary>Boots a VM from the image on the host's disk: loader, operating system read, start-up.</summary>
    private IEnumerable<Await> Boot(VirtualMachine vm)
    {
        var boot = vm.Spec.Image.Boot;
        _announce(vm, VmPhase.BootLoader);
        yield return _sim.Delay(boot.LoaderSeconds * Spec.Slowdown);
        _announce(vm, VmPhase.LoadingOs);
        yield return ReadDisk(vm, Math.Min(boot.OsReadBytes, vm.Spec.Image.SizeBytes));
        _announce(vm, VmPhase.StartingOs);
        yield return _sim.Delay(boot.OsInitSeconds * Spec.Slowdown);
    }

    /// <summary>
    /// Restarts a crashed VM: it boots again from its disk (its services are installed already);
    /// on bare metal the service process is simply started again.
    /// </summary>
    internal IEnumerable<Await> Restart(VirtualMachine vm)
    {
        if (Spec.Kind != HypervisorKind.None)
        {
            foreach (var step in Boot(vm))
            {
                yield return step;
            }
        }
        _announce(vm, VmPhase.Running);
    }

    private IEnumerable<Await> ObtainImage(VirtualMachine vm)
    {
        var image = vm.Spec.Image;
        if (Images.TryUse(image))
        {
            ImageHits++;
            yield break;
        }
        if (_fetching.TryGetValue(image, out var underWay))
        {
            // Another VM on this host is fetching the same image: the bytes move once. Counted
            // as a hit, as a container layer already being pulled is: no transfer starts for it.
            ImageHits++;
            _announce(vm, VmPhase.WaitingForImage);
            yield return underWay;
            yield break;
        }
        ImageMisses++;
        var fetched = new SimEvent(_sim);
        _fetching.Add(image, fetched);
        _announce(vm, VmPhase.TransferringImage);
        // The host's own management stack pulls the image, not a guest: no hypervisor I/O cost.
        foreach (var step in _network.Transfer(_repository, Host.Node, image.SizeBytes))
        {
            yield return step;
        }
        ImageBytesPulled += image.SizeBytes;
        Images.Add(image);
        _fetching.Remove(image);
        fetched.Succeed();
    }

    /// <summary>A guest reads bytes from the host's disk through the hypervisor's I/O path, within its limit.</summary>
    internal Await ReadDisk(VirtualMachine vm, double bytes)
    {
        var read = _fairShare.CreateActivity().Uses(Host.Disk, Spec.IoWeight);
        if (vm.DiskLimit is { } limit)
        {
            read.Uses(limit);
        }
        return read.Run(bytes);
    }

    /// <summary>Stops a VM: scrubs its memory and its disk, then frees what it reserved.</summary>
    internal IEnumerable<Await> Destroy(VirtualMachine vm)
    {
        _announce(vm, VmPhase.Scrubbing);
        yield return _sim.Delay(vm.Spec.MemoryBytes / MemoryScrubRate);
        // Zeroing the disk is writing it: it shares the disk with everything else on the host.
        yield return _fairShare.CreateActivity().Uses(Host.Disk).Run(vm.Spec.DiskBytes);
        Host.VcpusReserved -= vm.Spec.Vcpus;
        Host.MemoryReserved -= vm.Spec.MemoryBytes;
        Host.DiskReserved -= vm.Spec.DiskBytes;
        Host.Vacated(_sim.Now);
        _announce(vm, VmPhase.Destroyed);
    }
}
