using System.Globalization;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Numbers for people: each in the unit that suits its size (µs, ms, s, min, h; B, kB, MB, GB;
/// fractions as percentages), with as many digits as its confidence interval supports (the
/// half-width to two significant digits, the mean to the same place). Files keep SI units and
/// every digit; this is for tables on the terminal and in Markdown.
/// </summary>
public static class Readable
{
    /// <summary>A quantile sketch's relative error (see the percentile metrics' descriptions): no interval on a percentile is narrower.</summary>
    public const double SketchResolution = 0.005;

    /// <summary>The footnote for a percentile whose interval was widened to the sketch's resolution.</summary>
    public const string SketchNote = "the replications agree closer than the quantile sketch can tell; the interval shown is its resolution, 0.5% of the value";

    /// <summary>A value set for reading: mean, half-width (empty without one), the unit, and whether the sketch's resolution stands for the half-width.</summary>
    /// <param name="Mean">The mean, formatted.</param>
    /// <param name="HalfWidth">The half-width of the 95% interval, formatted ("0" when the replications agree exactly), empty when unknown.</param>
    /// <param name="Unit">The unit the numbers are in.</param>
    /// <param name="AtResolution">Whether the half-width shown is the quantile sketch's resolution rather than the replications' spread.</param>
    public readonly record struct Cell(string Mean, string HalfWidth, string Unit, bool AtResolution)
    {
        /// <summary>"12.3 ± 0.4" (with the unit left to its column), or the mean alone.</summary>
        public string Text => HalfWidth.Length == 0 ? Mean : $"{Mean} ± {HalfWidth}";
    }

    /// <summary>Whether a metric is a percentile from a quantile sketch (<c>response_time_p99</c>, <c>latency p99</c>).</summary>
    public static bool IsPercentile(string metric)
    {
        int p = Math.Max(metric.LastIndexOf("_p", StringComparison.Ordinal), metric.LastIndexOf(" p", StringComparison.Ordinal));
        return p >= 0 && p + 2 < metric.Length && metric.AsSpan(p + 2).IndexOfAnyExcept("0123456789") < 0;
    }

    /// <summary>The unit to show values of <paramref name="unit"/> around <paramref name="magnitude"/> in, and the factor from the SI value to it.</summary>
    public static (string Unit, double Factor) Scale(string unit, double magnitude)
    {
        double m = Math.Abs(magnitude);
        bool known = double.IsFinite(m) && m > 0;
        return unit switch
        {
            "s" when !known => ("s", 1),
            "s" when m < 1e-3 => ("µs", 1e6),
            "s" when m < 1 => ("ms", 1e3),
            "s" when m < 600 => ("s", 1),
            "s" when m < 36_000 => ("min", 1 / 60.0),
            "s" => ("h", 1 / 3600.0),
            "B" or "B/s" => Bytes(unit, m, known),
            "fraction" => ("%", 100),
            _ => (unit, 1),
        };
    }

    private static (string, double) Bytes(string unit, double m, bool known)
    {
        string per = unit == "B/s" ? "/s" : "";
        string[] prefixes = ["B", "kB", "MB", "GB", "TB", "PB"];
        int k = 0;
        while (known && k < prefixes.Length - 1 && m >= 1000)
        {
            m /= 1000;
            k++;
        }
        return (prefixes[k] + per, Math.Pow(1000, -k));
    }

    /// <summary>One value of <paramref name="metric"/> in <paramref name="unit"/>, scaled for its own size.</summary>
    public static Cell Format(ConfidenceInterval interval, string unit, string metric) =>
        Format(interval, Scale(unit, Magnitude(interval)), metric);

    /// <summary>One value in a given scale (from <see cref="Scale"/>), as a row of values shares one.</summary>
    public static Cell Format(ConfidenceInterval interval, (string Unit, double Factor) scale, string metric)
    {
        if (!double.IsFinite(interval.Mean))
        {
            return new Cell("n/a", "", scale.Unit, false);
        }
        double mean = interval.Mean * scale.Factor;
        double half = interval.HalfWidth * scale.Factor;
        bool atResolution = false;
        if (IsPercentile(metric) && double.IsFinite(half) && half < SketchResolution * Math.Abs(mean))
        {
            half = SketchResolution * Math.Abs(mean);
            atResolution = true;
        }
        if (!double.IsFinite(half))
        {
            return new Cell(Significant(mean, 4), "", scale.Unit, false);
        }
        if (half <= 1e-9 * Math.Abs(mean) || half == 0)
        {
            // The replications agree (to rounding): the mean to four significant digits, exact.
            return new Cell(Significant(mean, 4), "0", scale.Unit, false);
        }
        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(half)), 0, 9);
        double roundedHalf = Math.Round(half, decimals, MidpointRounding.AwayFromZero);
        if (roundedHalf >= Math.Pow(10, 2 - decimals) && decimals > 0)
        {
            // Rounding up crossed a power of ten (0.0995 to 0.10): one decimal fewer keeps two digits.
            decimals--;
        }
        return new Cell(Fixed(mean, decimals), Fixed(half, decimals), scale.Unit, atResolution);
    }

    /// <summary>The size that decides a value's unit: its mean, or its half-width when the mean is zero.</summary>
    public static double Magnitude(ConfidenceInterval interval) =>
        double.IsFinite(interval.Mean) && interval.Mean != 0 ? interval.Mean
        : double.IsFinite(interval.HalfWidth) ? interval.HalfWidth
        : 0;

    private static string Fixed(double value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Significant(double value, int digits)
    {
        if (value == 0)
        {
            return "0";
        }
        int decimals = Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 9);
        string text = Fixed(value, decimals);
        return decimals > 0 ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
