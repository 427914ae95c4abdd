using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Validation;

namespace VirtSim.Datacenter.Virtualization;

/// <summary>How a VM boots from its image: loader, then the operating system read from disk, then its start-up.</summary>
/// <param name="LoaderSeconds">Time the boot loader takes, in seconds.</param>
/// <param name="OsReadBytes">Bytes of the image the operating system reads at boot, at disk bandwidth.</param>
/// <param name="OsInitSeconds">Time the operating system takes to start its services once read, in seconds.</param>
/// <remarks>
/// Defaults: Mao and Humphrey ("A Performance Study on the VM Startup Time in the Cloud", IEEE
/// CLOUD 2012) measured Linux VMs becoming reachable roughly 30 to 50 s after the request on
/// the public clouds they studied, image transfer included. We split that as a 2 s loader,
/// 1 GB read from the image and 20 s of operating-system start-up; the transfer comes on top,
/// from the image size and the network.
/// </remarks>
public sealed record BootSpec(double LoaderSeconds, double OsReadBytes, double OsInitSeconds)
{
    /// <summary>The defaults above.</summary>
    public static BootSpec Default { get; } = new(2, 1e9, 20);
}

/// <summary>A VM image: the disk contents a VM boots from.</summary>
/// <param name="Name">Name scenarios refer to it by.</param>
/// <param name="SizeBytes">Size, in bytes: what moves over the network when a host lacks it.</param>
/// <param name="Os">Operating system inside.</param>
/// <param name="InstructionSet">Instruction set its code is built for.</param>
/// <param name="Boot">How it boots.</param>
/// <remarks>
/// The chapter's three ways of making an image differ in what is left to do after boot, and that
/// is what the model charges: a snapshot of a configured machine has nothing left (a VM with no
/// <see cref="ProvisioningSpec"/>), a base image plus software installs
/// it after boot (a VM's provisioning: a download and an install), and an image built from
/// scratch is a base image whose provisioning installs everything.
/// </remarks>
public sealed record VmImage(string Name, double SizeBytes, string Os, string InstructionSet, BootSpec Boot);

/// <summary>What provisioning installs after boot: nothing for an image with the services baked in.</summary>
/// <param name="DownloadBytes">Software downloaded from the repository, in bytes.</param>
/// <param name="InstallSeconds">Time to install and configure it, in seconds.</param>
public sealed record ProvisioningSpec(double DownloadBytes, double InstallSeconds)
{
    /// <summary>Nothing to provision: the services are baked into the image.</summary>
    public static ProvisioningSpec None { get; } = new(0, 0);
}

/// <summary>A VM as requested.</summary>
/// <param name="Name">Name for results and timelines.</param>
/// <param name="Vcpus">Virtual CPUs: the most cores the VM's work may use at once.</param>
/// <param name="MemoryBytes">Memory reserved on the host, in bytes.</param>
/// <param name="DiskBytes">Disk reserved on the host, in bytes (besides the cached image).</param>
/// <param name="Image">The image it boots from.</param>
/// <param name="Provisioning">What is installed after boot.</param>
/// <param name="HostGroup">The host group it must run in; null for any host.</param>
/// <param name="PricePerSecond">Price per second of running (a scenario writes it per hour).</param>
/// <param name="CpuShare">Weight of its work when the host's CPU is contended (1: equal to the others).</param>
/// <param name="DiskLimit">Most disk bytes per second the hypervisor lets it read (infinity: no limit).</param>
/// <param name="NetworkLimit">Most network bytes per second the hypervisor lets it send or receive (infinity: no limit).</param>
public sealed record VmSpec(
    string Name,
    int Vcpus,
    double MemoryBytes,
    double DiskBytes,
    VmImage Image,
    ProvisioningSpec Provisioning,
    string? HostGroup = null,
    double PricePerSecond = 0,
    double CpuShare = 1,
    double DiskLimit = double.PositiveInfinity,
    double NetworkLimit = double.PositiveInfinity)
{
    /// <summary>Why no such VM can be simulated, with paths in a VM's terms; empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Vcpus < 1)
        {
            yield return new("vcpus", "expected at least one vCPU");
        }
        if (!(MemoryBytes > 0))
        {
            yield return new("memory", "expected memory above 0 bytes");
        }
        if (!(DiskBytes >= 0))
        {
            yield return new("disk", "expected a disk of at least 0 bytes");
        }
        if (!(CpuShare > 0))
        {
            yield return new("cpu_share", "expected a CPU share above 0");
        }
    }

    /// <summary>
    /// Why no host of <paramref name="hosts"/> could ever admit this VM (it would wait for ever):
    /// none in its group runs its instruction set, its image is larger than every such host's
    /// disk, or none has the cores, memory and disk; empty when one could.
    /// </summary>
    public IEnumerable<SpecError> CheckSomeHostFits(IReadOnlyList<HostGroupSpec> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (HostGroup is { } group && hosts.All(h => h.Host.Group != group))
        {
            yield return SpecError.UnknownName("host_group", "host group", group, hosts.Select(h => h.Host.Group));
            yield break;
        }
        var candidates = hosts.Where(h => HostGroup is null || h.Host.Group == HostGroup).Select(h => h.Host).ToList();
        var runnable = candidates.Where(h => h.Hypervisor.Kind == HypervisorKind.Emulator || h.InstructionSet == Image.InstructionSet).ToList();
        string where = HostGroup is null ? "no host" : $"no host in group '{HostGroup}'";
        if (runnable.Count == 0)
        {
            yield return new("", $"{where} can run image '{Image.Name}' built for {Image.InstructionSet}: only an emulator runs a foreign instruction set");
            yield break;
        }
        // The image is copied onto the host's disk before the VM boots from it.
        if (runnable.All(h => Image.SizeBytes > h.DiskBytes))
        {
            yield return new("", $"image '{Image.Name}' ({Image.SizeBytes / 1e9:G4} GB) is larger than the disk of every host that could run it (at most {runnable.Max(h => h.DiskBytes) / 1e9:G4} GB), so it could never be copied there");
            yield break;
        }
        bool fits = runnable.Any(h => Vcpus <= Math.Floor(h.Cores * h.CpuOvercommit)
            && MemoryBytes <= h.MemoryBytes * h.MemoryOvercommit
            && DiskBytes <= h.DiskBytes - h.ImageCache);
        if (!fits)
        {
            yield return new("", $"{where} is large enough for this VM ({Vcpus} vCPUs, {MemoryBytes / 1e9:G4} GB memory, {DiskBytes / 1e9:G4} GB disk), so it could never start");
        }
    }
}
