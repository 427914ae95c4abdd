using VirtSim.Datacenter.Metrics;

namespace VirtSim.Experiments.Running;

/// <summary>What one replication measured.</summary>
/// <param name="Index">Replication number, from 0.</param>
/// <param name="Seed">The seed it ran with, derived from the scenario seed and the index.</param>
/// <param name="Measurements">Its measurements, in the model's order.</param>
/// <param name="Events">Events the kernel processed.</param>
public sealed record ReplicationResult(int Index, ulong Seed, IReadOnlyList<Measurement> Measurements, long Events);
