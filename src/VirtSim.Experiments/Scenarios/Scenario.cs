using VirtSim.Datacenter;
using VirtSim.Datacenter.Workload;

namespace VirtSim.Experiments.Scenarios;

/// <summary>A scenario as its file describes it, validated.</summary>
/// <param name="Name">Short name, used in results.</param>
/// <param name="Description">What the scenario shows, for people.</param>
/// <param name="Seed">Master seed; replication seeds derive from it.</param>
/// <param name="Replications">Independent replications to run.</param>
/// <param name="Warmup">Simulated time discarded at the start of each replication, in seconds.</param>
/// <param name="Duration">Simulated time measured after the warm-up, in seconds.</param>
/// <param name="Station">The queueing station to simulate, or null.</param>
/// <param name="Datacenter">The datacenter to simulate, or null; exactly one of the two is given.</param>
/// <param name="Precision">Replications until these metrics are known to a relative precision, instead of <paramref name="Replications"/>; null for a fixed number.</param>
public sealed record Scenario(
    string Name,
    string Description,
    ulong Seed,
    int Replications,
    double Warmup,
    double Duration,
    StationSpec? Station,
    DatacenterSpec? Datacenter = null,
    PrecisionTarget? Precision = null);
