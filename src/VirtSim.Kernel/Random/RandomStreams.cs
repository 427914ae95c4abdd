namespace VirtSim.Kernel.Random;

/// <summary>
/// Named random streams derived from one master seed. A stream's seed depends only on the
/// master seed and its name, so adding a stream (say, for failures) leaves the numbers of
/// every other stream (say, arrivals) unchanged, and two runs with the same seed draw the
/// same numbers whatever order they ask for streams in.
/// </summary>
public sealed class RandomStreams
{
    private readonly Dictionary<string, RandomStream> _streams = new(StringComparer.Ordinal);

    /// <summary>Creates the family of streams of <paramref name="masterSeed"/>.</summary>
    public RandomStreams(ulong masterSeed) => MasterSeed = masterSeed;

    /// <summary>The seed every stream derives from.</summary>
    public ulong MasterSeed { get; }

    /// <summary>The stream called <paramref name="name"/>, created on first use.</summary>
    public RandomStream this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            if (!_streams.TryGetValue(name, out var stream))
            {
                stream = new RandomStream(Derive(MasterSeed, StableHash(name)));
                _streams.Add(name, stream);
            }
            return stream;
        }
    }

    /// <summary>
    /// The seed of replication <paramref name="index"/> of a scenario with seed
    /// <paramref name="scenarioSeed"/>: a pure function, so shards on different machines
    /// reproduce exactly the replications of a single run.
    /// </summary>
    public static ulong ReplicationSeed(ulong scenarioSeed, long index) =>
        Derive(scenarioSeed, StableHash("replication") ^ (ulong)index);

    /// <summary>Mixes two 64-bit values into a seed (two SplitMix64 rounds).</summary>
    internal static ulong Derive(ulong seed, ulong salt)
    {
        ulong state = seed;
        ulong a = RandomStream.SplitMix64(ref state);
        state = a ^ salt;
        return RandomStream.SplitMix64(ref state);
    }

    /// <summary>
    /// FNV-1a over the UTF-16 code units of <paramref name="text"/>. string.GetHashCode is
    /// randomised per process and would break reproducibility across runs and machines.
    /// </summary>
    internal static ulong StableHash(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
