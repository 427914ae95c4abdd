using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Workload;

namespace VirtSim.Experiments.Scenarios;

// The words a datacenter file may use for a choice, and what each means.
internal static partial class DatacenterReader
{
    private static readonly Dictionary<string, HypervisorKind> Kinds = new(StringComparer.Ordinal)
    {
        ["none"] = HypervisorKind.None,
        ["type1"] = HypervisorKind.Type1,
        ["type2"] = HypervisorKind.Type2,
        ["emulator"] = HypervisorKind.Emulator,
    };

    // One rule for hosts and engines; "spread" is worst fit's other name, as container schedulers call it.
    private static readonly Dictionary<string, PlacementRule> Placements = new(StringComparer.Ordinal)
    {
        ["first-fit"] = PlacementRule.FirstFit,
        ["best-fit"] = PlacementRule.BestFit,
        ["worst-fit"] = PlacementRule.WorstFit,
        ["spread"] = PlacementRule.WorstFit,
    };
    private static readonly Dictionary<string, AdmissionPolicy> Admissions = new(StringComparer.Ordinal)
    {
        ["queue"] = AdmissionPolicy.Queue,
        ["reject"] = AdmissionPolicy.Reject,
    };

    private static readonly Dictionary<string, Balancing> Balancings = new(StringComparer.Ordinal)
    {
        ["round-robin"] = Balancing.RoundRobin,
        ["least-loaded"] = Balancing.LeastLoaded,
    };

    private static readonly Dictionary<string, EngineProfile> Engines = new(StringComparer.Ordinal)
    {
        ["docker"] = EngineProfile.Docker,
        ["containerd"] = EngineProfile.Containerd,
    };
}
