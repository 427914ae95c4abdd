using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Quantities with units as scenario files write them: durations (<c>250ms</c>, <c>10min</c>),
/// rates (<c>3.2/s</c>, <c>120/min</c>), sizes (<c>8GB</c>, <c>4GiB</c>), bandwidths
/// (<c>1Gbps</c>, <c>500MB/s</c>) and power (<c>250W</c>). Everything is converted to seconds,
/// bytes, bytes per second, watts and per-second. A general units library (UnitsNet) was weighed and left out: the
/// scenario grammar is a handful of symbols, and an exact message naming the accepted symbols
/// matters more to a user than breadth.
/// </summary>
public static partial class Units
{
    private static readonly Dictionary<string, double> SecondsPer = new(StringComparer.Ordinal)
    {
        ["ns"] = 1e-9,
        ["us"] = 1e-6,
        ["µs"] = 1e-6,
        ["ms"] = 1e-3,
        ["s"] = 1,
        ["min"] = 60,
        ["h"] = 3600,
        ["d"] = 86400,
    };

    /// <summary>The duration symbols accepted, for messages.</summary>
    public const string DurationSymbols = "ns, us, ms, s, min, h, d";

    // Decimal prefixes are powers of 1000, binary ones (KiB, MiB...) powers of 1024, as IEC 80000-13 has it.
    private static readonly Dictionary<string, double> BytesPer = new(StringComparer.Ordinal)
    {
        ["B"] = 1,
        ["kB"] = 1e3,
        ["KB"] = 1e3,
        ["MB"] = 1e6,
        ["GB"] = 1e9,
        ["TB"] = 1e12,
        ["PB"] = 1e15,
        ["KiB"] = 1024,
        ["MiB"] = 1024.0 * 1024,
        ["GiB"] = 1024.0 * 1024 * 1024,
        ["TiB"] = 1024.0 * 1024 * 1024 * 1024,
    };

    /// <summary>The size symbols accepted, for messages.</summary>
    public const string SizeSymbols = "B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB";

    private static readonly Dictionary<string, double> BitsPerSecond = new(StringComparer.Ordinal)
    {
        ["bps"] = 1,
        ["kbps"] = 1e3,
        ["Kbps"] = 1e3,
        ["Mbps"] = 1e6,
        ["Gbps"] = 1e9,
        ["Tbps"] = 1e12,
    };

    /// <summary>The bandwidth symbols accepted, for messages.</summary>
    public const string BandwidthSymbols = "bps, kbps, Mbps, Gbps, Tbps, or a size per second such as 500MB/s";

    private static readonly Dictionary<string, double> WattsPer = new(StringComparer.Ordinal)
    {
        ["W"] = 1,
        ["kW"] = 1e3,
    };

    [GeneratedRegex(@"^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(\S*?)\s*$")]
    private static partial Regex NumberAndUnit();

    /// <summary>Parses a duration into seconds; on failure says what was expected.</summary>
    public static bool TryParseDuration(string text, out double seconds, out string error) =>
        TryParseWith(text, SecondsPer, DurationSymbols, "a duration such as 250ms, 2s, 10min or 1h", "time unit", out seconds, out error);

    /// <summary>Parses a rate such as <c>3.2/s</c> into events per second.</summary>
    public static bool TryParseRate(string text, out double perSecond, out string error)
    {
        perSecond = 0;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !Split(text[..slash], out double number, out string unit) || unit.Length > 0)
        {
            error = $"expected a rate such as 3.2/s or 120/min, not '{text}'";
            return false;
        }
        string per = text[(slash + 1)..].Trim();
        if (!SecondsPer.TryGetValue(per, out double factor))
        {
            error = $"unknown time unit '{per}' in rate (expected one of {DurationSymbols} after '/'){Suggest.DidYouMean(per, DurationSymbols.Split(", "))}";
            return false;
        }
        perSecond = number / factor;
        return Finite(text, perSecond, out error);
    }

    /// <summary>Parses a size such as <c>8GB</c> or <c>4GiB</c> into bytes.</summary>
    public static bool TryParseSize(string text, out double bytes, out string error) =>
        TryParseWith(text, BytesPer, SizeSymbols, "a size such as 8GB or 4GiB", "unit", out bytes, out error);

    /// <summary>Parses a power such as <c>250W</c> into watts.</summary>
    public static bool TryParsePower(string text, out double watts, out string error) =>
        TryParseWith(text, WattsPer, "W, kW", "a power such as 250W", "unit", out watts, out error);

    /// <summary>Units written out or in another convention, with the symbol meant: too far from it in letters for "did you mean" to find.</summary>
    private static readonly Dictionary<string, string> Spelled = new(StringComparer.OrdinalIgnoreCase)
    {
        ["seconds"] = "s", ["second"] = "s", ["sec"] = "s", ["secs"] = "s",
        ["minutes"] = "min", ["minute"] = "min", ["mins"] = "min",
        ["hours"] = "h", ["hour"] = "h", ["hr"] = "h", ["hrs"] = "h",
        ["days"] = "d", ["day"] = "d",
        ["milliseconds"] = "ms", ["millisecond"] = "ms", ["msec"] = "ms",
        ["microseconds"] = "us", ["nanoseconds"] = "ns",
        ["bytes"] = "B", ["kilobytes"] = "kB", ["megabytes"] = "MB", ["gigabytes"] = "GB", ["terabytes"] = "TB",
        ["kbit"] = "kbps", ["Mbit"] = "Mbps", ["Gbit"] = "Gbps", ["Tbit"] = "Tbps",
    };

    /// <summary>Parses a bandwidth such as <c>1Gbps</c> (bits) or <c>500MB/s</c> (bytes) into bytes per second.</summary>
    public static bool TryParseBandwidth(string text, out double bytesPerSecond, out string error)
    {
        bytesPerSecond = 0;
        // 10Gbit/s means bits: the bit rate's own symbol, not a size per second.
        if (Regex.Match(text, @"^(.*?)([kKMGT])bit/s\s*$") is { Success: true } bitRate && Split(bitRate.Groups[1].Value + "B", out _, out _))
        {
            error = $"unknown unit '{bitRate.Groups[2].Value}bit/s' (expected one of {BandwidthSymbols}); did you mean '{bitRate.Groups[2].Value.Replace('K', 'k')}bps'?";
            return false;
        }
        if (text.EndsWith("/s", StringComparison.Ordinal))
        {
            if (!TryParseSize(text[..^2], out bytesPerSecond, out error))
            {
                error = $"expected a bandwidth such as 1Gbps or 500MB/s, not '{text}' ({error})";
                return false;
            }
            return true;
        }
        if (!TryParseWith(text, BitsPerSecond, BandwidthSymbols, "a bandwidth such as 1Gbps or 500MB/s", "unit", out double bits, out error))
        {
            return false;
        }
        bytesPerSecond = bits / 8;
        return true;
    }

    private static bool TryParseWith(string text, Dictionary<string, double> units, string symbols, string example,
        string unitWord, out double value, out string error)
    {
        value = 0;
        if (!Split(text, out double number, out string unit))
        {
            error = $"expected {example}, not '{text}'";
            return false;
        }
        if (unit.Length == 0)
        {
            error = $"expected a unit after {text.Trim()} (one of {symbols})";
            return false;
        }
        if (!units.TryGetValue(unit, out double factor))
        {
            string hint = Spelled.TryGetValue(unit, out string? symbol) && units.ContainsKey(symbol) ? $"; did you mean '{symbol}'?" : Suggest.DidYouMean(unit, [.. units.Keys]);
            error = $"unknown {unitWord} '{unit}' (expected one of {symbols}){hint}";
            return false;
        }
        value = number * factor;
        return Finite(text, value, out error);
    }

    /// <summary>A number too large for a double once converted (<c>1e300PB</c>) is refused here, with its text.</summary>
    private static bool Finite(string text, double value, out string error)
    {
        error = double.IsFinite(value) ? "" : $"'{text.Trim()}' is too large to represent";
        return error.Length == 0;
    }

    private static bool Split(string text, out double number, out string unit)
    {
        number = 0;
        unit = "";
        var match = NumberAndUnit().Match(text);
        if (!match.Success)
        {
            return false;
        }
        number = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        unit = match.Groups[2].Value;
        return double.IsFinite(number);
    }
}
