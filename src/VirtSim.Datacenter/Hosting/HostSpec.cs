namespace VirtSim.Datacenter.Hosting;

/// <summary>Electrical power of a host, linear in CPU utilization between idle and peak.</summary>
/// <param name="IdleWatts">Power drawn when powered on and idle, in watts.</param>
/// <param name="PeakWatts">Power drawn at full CPU utilization, in watts.</param>
/// <remarks>
/// The linear model is the one Fan, Weber and Barroso found to track measured server power
/// within a few percent ("Power provisioning for a warehouse-sized computer", ISCA 2007).
/// Default figures are those of a typical two-socket server of the SPECpower_ssj2008 results:
/// about 100 W idle and 300 W at full load.
/// </remarks>
public sealed record PowerModel(double IdleWatts, double PeakWatts)
{
    /// <summary>A typical two-socket server.</summary>
    public static PowerModel Default { get; } = new(100, 300);

    /// <summary>Power at <paramref name="utilization"/> (0 to 1), in watts.</summary>
    public double At(double utilization) => IdleWatts + (PeakWatts - IdleWatts) * Math.Clamp(utilization, 0, 1);
}

/// <summary>One kind of physical machine; a scenario declares groups of identical ones.</summary>
/// <param name="Group">Name of the group of identical hosts.</param>
/// <param name="Cores">Physical cores.</param>
/// <param name="CoreSpeed">Speed of one core relative to the reference core that request demands are stated in.</param>
/// <param name="MemoryBytes">Physical memory, in bytes.</param>
/// <param name="DiskBytes">Disk capacity, in bytes.</param>
/// <param name="DiskBandwidth">Disk bandwidth, in bytes per second, shared by everything on the host.</param>
/// <param name="InstructionSet">Instruction set of the CPU, such as <c>x86_64</c> or <c>arm64</c>.</param>
/// <param name="Hypervisor">What runs on the bare machine.</param>
/// <param name="Power">Power model.</param>
/// <param name="PricePerSecond">Price of the host while it is in use, per second (a scenario writes it per hour).</param>
/// <param name="CpuOvercommit">vCPUs that may be promised per physical core (1: none).</param>
/// <param name="MemoryOvercommit">Memory that may be promised per byte of physical memory (1: none).</param>
/// <param name="ImageCacheBytes">Space kept for cached VM images, in bytes; null takes <see cref="DefaultImageCache"/>.</param>
public sealed record HostSpec(
    string Group,
    int Cores,
    double CoreSpeed,
    double MemoryBytes,
    double DiskBytes,
    double DiskBandwidth,
    string InstructionSet,
    HypervisorSpec Hypervisor,
    PowerModel Power,
    double PricePerSecond,
    double CpuOvercommit = 1,
    double MemoryOvercommit = 1,
    double? ImageCacheBytes = null)
{
    /// <summary>CPU capacity, in reference core-seconds per second.</summary>
    public double CpuCapacity => Cores * CoreSpeed;

    /// <summary>Space kept for cached VM images, in bytes: <see cref="ImageCacheBytes"/>, or the default.</summary>
    public double ImageCache => ImageCacheBytes ?? DefaultImageCache(DiskBytes);

    /// <summary>
    /// The image cache of a host that does not say: half its disk, at most 100 GB (assumed: room
    /// for a dozen 8 GB images, while most of the disk stays for the VMs' own disks).
    /// </summary>
    public static double DefaultImageCache(double diskBytes) => Math.Min(100e9, diskBytes / 2);
}
