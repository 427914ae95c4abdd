using System.Globalization;

namespace VirtSim.Experiments.Running;

/// <summary>
/// One share of a run split over N processes (Slurm array tasks, Kubernetes Indexed Job pods):
/// shard <see cref="Index"/> of <see cref="Count"/> runs the replications whose index leaves
/// <see cref="Index"/> when divided by <see cref="Count"/>. A replication's seed depends only on the
/// scenario seed and its index, so the shards together run exactly the replications of one process.
/// </summary>
/// <param name="Index">Which shard, from 0.</param>
/// <param name="Count">How many shards in all.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Whether replication <paramref name="replication"/> is this shard's.</summary>
    public bool Contains(int replication) => replication % Count == Index;

    /// <summary>The replications of <paramref name="total"/> that are this shard's, in order.</summary>
    public IEnumerable<int> Of(int total) => Enumerable.Range(0, total).Where(Contains);

    /// <summary><c>i/N</c>, as the command line takes it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Reads <c>i/N</c> (0 ≤ i &lt; N); null when <paramref name="text"/> is not one.</summary>
    public static Shard? Parse(string text)
    {
        string[] parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count
            ? new Shard(index, count) : null;
    }
}
