using System.Numerics;
using MathNet.Numerics.Random;

namespace VirtSim.Kernel.Random;

/// <summary>
/// One stream of random numbers: xoshiro256** (Blackman and Vigna, 2018) seeded with 64 bits
/// through SplitMix64, as its authors recommend. MathNet's own Xoshiro256StarStar takes only a
/// 32-bit seed, too few once streams are derived per replication and per name (the birthday
/// bound makes two of 100,000 such streams likely to coincide). Being a MathNet
/// <see cref="RandomSource"/>, it feeds every MathNet distribution.
/// </summary>
public sealed class RandomStream : RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a stream from a 64-bit seed.</summary>
    public RandomStream(ulong seed) : base(threadSafe: false)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    protected override double DoSample() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, int.MaxValue).</summary>
    protected override int DoSampleInteger()
    {
        while (true)
        {
            int value = (int)(NextUInt64() >> 33);
            if (value != int.MaxValue)
            {
                return value;
            }
        }
    }

    /// <summary>
    /// The top <paramref name="bitCount"/> of 32 random bits, as MathNet computes them (the low four
    /// bytes of <see cref="NextUInt64"/>, little-endian), without its four-byte buffer per draw: a
    /// bounded integer (a random host, a spine) allocated 32 bytes each time.
    /// </summary>
    protected override int DoSampleInt32WithNBits(int bitCount) =>
        bitCount == 0 ? 0 : (int)((uint)NextUInt64() >> (32 - bitCount));

    /// <summary>The top <paramref name="bitCount"/> of 64 random bits, as MathNet computes them, without its buffer.</summary>
    protected override long DoSampleInt64WithNBits(int bitCount) =>
        bitCount == 0 ? 0 : (long)(NextUInt64() >> (64 - bitCount));

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    protected override void DoSampleBytes(byte[] buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong bits = NextUInt64();
            for (int j = 0; j < 8 && i + j < buffer.Length; j++)
            {
                buffer[i + j] = (byte)(bits >> (8 * j));
            }
        }
    }

    /// <summary>The SplitMix64 step: a good 64-bit mixer, used for seeding and for deriving seeds.</summary>
    internal static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
