namespace VirtSim.Kernel.Statistics;

/// <summary>
/// Quantiles of non-negative observations in bounded memory, with a guaranteed relative error:
/// the DDSketch idea (Masson, Rim and Lee, VLDB 2019). Values fall into logarithmic buckets
/// [γ^(i−1), γ^i) with γ = (1 + α)/(1 − α); a quantile is answered by the bucket holding its
/// rank, within relative error α of the exact value. With α = 0.5% the buckets needed for
/// 1 µs to 1 day number about 2,500; past <see cref="MaxBuckets"/> the lowest buckets are
/// merged, which only coarsens the smallest values. Millions of samples cost nothing more.
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The most buckets kept (32 KB of counts).</summary>
    public const int MaxBuckets = 4096;

    private readonly double _gamma;
    private readonly double _logGamma;
    private long[] _counts = new long[64];
    private int _offset;          // bucket index of _counts[0]
    private int _used;            // number of slots in use from _counts[0]
    private long _zeros;          // observations equal to zero (no logarithm)

    /// <summary>Creates a sketch with relative accuracy <paramref name="relativeAccuracy"/>.</summary>
    public QuantileSketch(double relativeAccuracy = 0.005)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy));
        }
        RelativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _logGamma = Math.Log(_gamma);
    }

    /// <summary>The guaranteed relative error of a quantile (above the merged low range).</summary>
    public double RelativeAccuracy { get; }

    /// <summary>Number of observations.</summary>
    public long Count { get; private set; }

    /// <summary>Buckets in use: the sketch's memory, bounded by <see cref="MaxBuckets"/>.</summary>
    public int BucketCount => _used;

    /// <summary>Smallest observation (exact).</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>Largest observation (exact).</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>Adds a non-negative observation.</summary>
    public void Add(double x)
    {
        if (!(x >= 0) || double.IsPositiveInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The sketch takes finite values, zero or more.");
        }
        if (Count == 0)
        {
            Min = Max = x;
        }
        else
        {
            Min = Math.Min(Min, x);
            Max = Math.Max(Max, x);
        }
        Count++;
        if (x == 0)
        {
            _zeros++;
            return;
        }
        int index = (int)Math.Ceiling(Math.Log(x) / _logGamma);
        if (_used == 0)
        {
            _offset = index;
            _used = 1;
        }
        else if (index < _offset)
        {
            GrowDown(index);
        }
        else if (index >= _offset + _used)
        {
            GrowUp(index);
        }
        _counts[Math.Max(index, _offset) - _offset]++;
    }

    /// <summary>The <paramref name="q"/>-quantile (0 ≤ q ≤ 1); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile lies between 0 and 1.");
        }
        if (Count == 0)
        {
            return double.NaN;
        }
        // Lower rank convention: the smallest value with at least ⌊q (n − 1)⌋ + 1 values at or below it.
        long rank = (long)Math.Floor(q * (Count - 1));
        if (rank < _zeros)
        {
            return 0;
        }
        long seen = _zeros;
        for (int i = 0; i < _used; i++)
        {
            seen += _counts[i];
            if (seen > rank)
            {
                double value = 2 * Math.Pow(_gamma, _offset + i) / (_gamma + 1);
                return Math.Clamp(value, Min, Max);
            }
        }
        return Max;
    }

    /// <summary>Forgets every observation.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _used = 0;
        _zeros = 0;
        Count = 0;
        Min = Max = double.NaN;
    }

    private void GrowUp(int index)
    {
        int needed = index - _offset + 1;
        if (needed > MaxBuckets)
        {
            // Merge the lowest buckets so that the top one fits.
            int shift = needed - MaxBuckets;
            CollapseLowest(shift);
            needed = MaxBuckets;
        }
        EnsureLength(needed);
        _used = needed;
    }

    private void GrowDown(int index)
    {
        int shift = _offset - index;
        if (_used + shift > MaxBuckets)
        {
            // The new value lands in the merged lowest bucket instead.
            shift = MaxBuckets - _used;
            if (shift <= 0)
            {
                return;
            }
        }
        EnsureLength(_used + shift);
        Array.Copy(_counts, 0, _counts, shift, _used);
        Array.Clear(_counts, 0, shift);
        _offset -= shift;
        _used += shift;
    }

    private void CollapseLowest(int shift)
    {
        shift = Math.Min(shift, _used - 1);
        long merged = 0;
        for (int i = 0; i <= shift; i++)
        {
            merged += _counts[i];
        }
        Array.Copy(_counts, shift, _counts, 0, _used - shift);
        Array.Clear(_counts, _used - shift, shift);
        _counts[0] = merged;
        _offset += shift;
        _used -= shift;
    }

    private void EnsureLength(int length)
    {
        if (length > _counts.Length)
        {
            Array.Resize(ref _counts, Math.Min(MaxBuckets, Math.Max(length, _counts.Length * 2)));
        }
    }
}
