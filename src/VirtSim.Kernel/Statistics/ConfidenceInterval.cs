using MathNet.Numerics.Distributions;

namespace VirtSim.Kernel.Statistics;

/// <summary>
/// A mean with its confidence interval across independent replications, from Student's t
/// distribution with n − 1 degrees of freedom.
/// </summary>
/// <param name="Mean">Mean of the replication values.</param>
/// <param name="HalfWidth">Half-width of the interval; NaN with fewer than two replications.</param>
/// <param name="Count">Number of replications.</param>
/// <param name="Level">Confidence level, such as 0.95.</param>
public readonly record struct ConfidenceInterval(double Mean, double HalfWidth, int Count, double Level)
{
    /// <summary>Lower end of the interval.</summary>
    public double Low => Mean - HalfWidth;

    /// <summary>Upper end of the interval.</summary>
    public double High => Mean + HalfWidth;

    /// <summary>Whether <paramref name="value"/> lies inside the interval.</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>The interval at <paramref name="level"/> (default 95%) for the mean of <paramref name="values"/>.</summary>
    public static ConfidenceInterval Of(IReadOnlyList<double> values, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level));
        }
        int n = values.Count;
        if (n == 0)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, 0, level);
        }
        var tally = new Tally();
        foreach (double v in values)
        {
            tally.Add(v);
        }
        if (n < 2)
        {
            return new ConfidenceInterval(tally.Mean, double.NaN, n, level);
        }
        double t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - level) / 2);
        return new ConfidenceInterval(tally.Mean, t * tally.StandardDeviation / Math.Sqrt(n), n, level);
    }
}
