using VirtSim.Datacenter;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Datacenter;

/// <summary>Small datacenters for tests, with round numbers that make hand computation easy.</summary>
internal static class Build
{
    public const double GB = 1e9;

    public static LinkSpec Link(double bitsPerSecond = 1e9, double efficiency = 1, double latency = 0) =>
        new(bitsPerSecond / 8, latency, efficiency);

    public static HostSpec Host(string group = "h", HypervisorKind kind = HypervisorKind.Type1, int cores = 8,
        double memoryGb = 64, double diskBandwidth = 500e6, string isa = "x86_64", double cacheGb = 100) =>
        new(group, cores, 1.0, memoryGb * GB, 1000 * GB, diskBandwidth, isa, HypervisorSpec.Default(kind),
            PowerModel.Default, 0, ImageCacheBytes: cacheGb * GB);

    public static VmImage Image(double sizeGb = 8, string isa = "x86_64", string name = "ubuntu") =>
        new(name, sizeGb * GB, "linux", isa, new BootSpec(2, 1 * GB, 20));

    public static VmSpec Vm(VmImage? image = null, int vcpus = 2, double memoryGb = 4, string? group = null,
        ProvisioningSpec? provisioning = null) =>
        new("vm", vcpus, memoryGb * GB, 20 * GB, image ?? Image(), provisioning ?? ProvisioningSpec.None, group);

    public static DatacenterSpec Spec(IEnumerable<HostGroupSpec> hosts, LinkSpec? link = null,
        PlacementRule placement = PlacementRule.FirstFit, AdmissionPolicy admission = AdmissionPolicy.Queue,
        IEnumerable<VmGroupSpec>? vms = null, IEnumerable<ServiceSpec>? services = null, TopologySpec? topology = null)
    {
        var l = link ?? Link();
        return new DatacenterSpec(hosts.ToList(), topology ?? new TopologySpec.Star(l, l, l), placement,
            admission, (vms ?? []).ToList(), (services ?? []).ToList(), []);
    }

    public static ServiceSpec Service(string name, double rate, double cpuSeconds, double diskBytes = 0, double networkBytes = 0,
        VmSpec? vm = null, int replicas = 1, bool evenlySpaced = false) =>
        new(name, evenlySpaced ? new Distribution.Deterministic(1 / rate) : new Distribution.Exponential(1 / rate),
            new RequestSpec(new Distribution.Deterministic(cpuSeconds), diskBytes, networkBytes),
            vm ?? Vm(), replicas, Balancing.RoundRobin);
}

/// <summary>Records every VM phase change.</summary>
internal sealed class PhaseLog : IDatacenterObserver
{
    public List<(int Vm, VmPhase Phase, double Time)> Entries { get; } = [];

    public void VmPhaseChanged(VirtualMachine vm, VmPhase phase, double time) => Entries.Add((vm.Id, phase, time));

    public List<(VmPhase Phase, double Time)> Of(int vm) => Entries.Where(e => e.Vm == vm).Select(e => (e.Phase, e.Time)).ToList();
}
