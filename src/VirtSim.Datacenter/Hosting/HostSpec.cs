using VirtSim.Datacenter.Validation;

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

    /// <summary>Why this model is not one (paths <c>idle</c>, <c>peak</c>); empty when it is.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (!(IdleWatts >= 0))
        {
            yield return new("idle", "expected an idle power of at least 0 W");
        }
        if (!(PeakWatts >= IdleWatts))
        {
            yield return new("peak", "expected the peak power to be at least the idle power");
        }
    }
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

    /// <summary>Why no such machine can be simulated, with paths in a host group's terms; empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Cores < 1)
        {
            yield return new("cores", "expected at least one core");
        }
        if (!(CoreSpeed > 0))
        {
            yield return new("core_speed", "expected a core speed above 0");
        }
        if (!(MemoryBytes > 0))
        {
            yield return new("memory", "expected memory above 0 bytes");
        }
        if (!(DiskBytes > 0))
        {
            yield return new("disk", "expected a disk above 0 bytes");
        }
        if (!(DiskBandwidth > 0))
        {
            yield return new("disk_bandwidth", "expected a disk bandwidth above 0 bytes per second");
        }
        if (!(CpuOvercommit >= 1))
        {
            yield return new("cpu_overcommit", "expected a CPU overcommit of at least 1");
        }
        if (!(MemoryOvercommit >= 1))
        {
            yield return new("memory_overcommit", "expected a memory overcommit of at least 1");
        }
        if (ImageCacheBytes is { } cache && !(cache >= 0 && cache <= DiskBytes))
        {
            yield return new("image_cache", "expected an image cache no larger than the disk");
        }
        foreach (var error in Power.Validate())
        {
            yield return error.Under("power");
        }
    }
}

/// <summary>A group of identical hosts.</summary>
public sealed record HostGroupSpec(HostSpec Host, int Count)
{
    /// <summary>Why the group cannot be simulated, with paths in a host group's terms; empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Count < 1)
        {
            yield return new("count", "expected at least one host");
        }
        foreach (var error in Host.Validate())
        {
            yield return error;
        }
    }
}
