using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Quantities with units as scenario files write them: durations (<c>250ms</c>, <c>2s</c>,
/// <c>10min</c>, <c>1h</c>) and rates (<c>3.2/s</c>, <c>120/min</c>). Everything is converted to
/// seconds and per-second. A general units library (UnitsNet) was weighed and left out: the
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

    [GeneratedRegex(@"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S*?)\s*$")]
    private static partial Regex NumberAndUnit();

    /// <summary>Parses a duration into seconds; on failure says what was expected.</summary>
    public static bool TryParseDuration(string text, out double seconds, out string error)
    {
        seconds = 0;
        if (!Split(text, out double number, out string unit))
        {
            error = $"expected a duration such as 250ms, 2s, 10min or 1h, not '{text}'";
            return false;
        }
        if (unit.Length == 0)
        {
            error = $"expected a unit after {text.Trim()} (one of {DurationSymbols}), such as {text.Trim()}s";
            return false;
        }
        if (!SecondsPer.TryGetValue(unit, out double factor))
        {
            error = $"unknown time unit '{unit}' (expected one of {DurationSymbols})";
            return false;
        }
        seconds = number * factor;
        error = "";
        return true;
    }

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
            error = $"unknown time unit '{per}' in rate (expected one of {DurationSymbols} after '/')";
            return false;
        }
        perSecond = number / factor;
        error = "";
        return true;
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
