namespace VirtSim.Kernel.Statistics;

/// <summary>
/// Count, mean, variance, minimum and maximum of observations, in constant memory
/// (Welford's update, which stays accurate where the naive sum of squares cancels).
/// </summary>
public sealed class Tally
{
    private double _mean;
    private double _m2;

    /// <summary>Number of observations.</summary>
    public long Count { get; private set; }

    /// <summary>Mean of the observations (NaN when there are none).</summary>
    public double Mean => Count == 0 ? double.NaN : _mean;

    /// <summary>Sample variance (n − 1 in the denominator; NaN below two observations).</summary>
    public double Variance => Count < 2 ? double.NaN : _m2 / (Count - 1);

    /// <summary>Sample standard deviation.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Smallest observation (NaN when there are none).</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>Largest observation (NaN when there are none).</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>Sum of the observations.</summary>
    public double Sum => Count == 0 ? 0 : _mean * Count;

    /// <summary>Adds one observation.</summary>
    public void Add(double x)
    {
        Count++;
        double delta = x - _mean;
        _mean += delta / Count;
        _m2 += delta * (x - _mean);
        if (Count == 1)
        {
            Min = Max = x;
        }
        else if (x < Min)
        {
            Min = x;
        }
        else if (x > Max)
        {
            Max = x;
        }
    }

    /// <summary>Forgets every observation (at the end of a warm-up, say).</summary>
    public void Reset()
    {
        Count = 0;
        _mean = _m2 = 0;
        Min = Max = double.NaN;
    }
}
