using System.Globalization;
using VirtSim.Kernel.Random;
using YamlDotNet.RepresentationModel;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// A YAML value read with its position, so every complaint can name line and column. Reading
/// the node tree (rather than deserializing into objects) keeps the position of every value,
/// which is what makes the messages useful.
/// </summary>
internal sealed class YamlValue(string file, string path, YamlNode node)
{
    public string File => file;

    public string Path { get; } = path;

    public YamlNode Node { get; } = node;

    public ScenarioException Error(string message) =>
        Override.At(file, Node, Prefixed(Path, message));

    internal static string Prefixed(string path, string message) => path.Length == 0 ? message : $"{path}: {message}";

    /// <summary>
    /// A reference to something the scenario does not declare: names what is declared, or, when
    /// nothing is, where to declare it.
    /// </summary>
    public ScenarioException UnknownName(string what, string name, IEnumerable<string> declared, string declareUnder)
    {
        var names = declared.ToList();
        return Error(names.Count == 0
            ? $"no {what} named '{name}': declare it under {declareUnder}"
            : $"no {what} named '{name}' (declared: {string.Join(", ", names)})");
    }

    /// <summary>
    /// The value at <paramref name="path"/> below this one (keys joined by dots, list items by
    /// <c>[i]</c>, as a spec's errors name them), or the deepest value on the way that the file
    /// holds: a default the file does not write is reported where it would be written.
    /// </summary>
    public YamlValue Locate(string path)
    {
        var here = this;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = segment.IndexOf('[', StringComparison.Ordinal);
            string key = bracket < 0 ? segment : segment[..bracket];
            if (key.Length > 0)
            {
                if (here.Node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
                {
                    return here;
                }
                here = new YamlValue(file, here.Path.Length == 0 ? key : $"{here.Path}.{key}", child);
            }
            while (bracket >= 0)
            {
                int close = segment.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(segment.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                    || here.Node is not YamlSequenceNode list || index >= list.Children.Count)
                {
                    return here;
                }
                here = new YamlValue(file, $"{here.Path}[{index}]", list.Children[index]);
                bracket = segment.IndexOf('[', close);
            }
        }
        return here;
    }

    /// <summary>
    /// The first of <paramref name="errors"/> (a spec's, with paths from this value) as a scenario
    /// error at the line that says it, its path rewritten by <paramref name="rewrite"/> first (a
    /// comparison's deployment is a service or function of its own spec); null when there is none.
    /// </summary>
    public ScenarioException? FirstError(IEnumerable<VirtSim.Datacenter.Validation.SpecError> errors, Func<string, string>? rewrite = null)
    {
        foreach (var error in errors)
        {
            string path = rewrite?.Invoke(error.Path) ?? error.Path;
            var at = Locate(path);
            return Override.At(file, at.Node, Prefixed(path, error.Message));
        }
        return null;
    }

    public YamlSection AsSection(params string[] keys)
    {
        SchemaRecorder.Section(Path, keys);
        if (Node is not YamlMappingNode mapping)
        {
            throw Error($"expected a mapping with keys {string.Join(", ", keys)}");
        }
        return new YamlSection(file, Path, mapping, keys);
    }

    public string AsText(string expected = "a single value")
    {
        SchemaRecorder.Kind(Path, "text");
        if (Node is not YamlScalarNode { Value: { } text })
        {
            throw Error($"expected {expected}, not a {(Node is YamlSequenceNode ? "list" : "mapping")}");
        }
        return text;
    }

    /// <summary>
    /// A declared name (of a host group, image, service, function, pod group or deployment): one
    /// plain path segment, because names become folder names, file names and CSV columns.
    /// </summary>
    public string AsName()
    {
        string name = AsText("a name");
        if (PathNames.Problem(name) is { } problem)
        {
            throw Error(problem);
        }
        return name;
    }

    public long AsInteger(long min, long max = long.MaxValue)
    {
        SchemaRecorder.Kind(Path, "integer");
        string text = AsText("a whole number");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw Error($"expected a whole number, not '{text}'");
        }
        if (value < min || value > max)
        {
            throw Error(max == long.MaxValue
                ? $"expected a whole number of {min} or more, not {value}"
                : $"expected a whole number from {min} to {max}, not {value}");
        }
        return value;
    }

    public ulong AsSeed()
    {
        SchemaRecorder.Kind(Path, "integer");
        string text = AsText("a seed (a whole number)");
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw Error($"expected a seed, a whole number from 0 to {ulong.MaxValue}, not '{text}'");
        }
        return value;
    }

    // Upper bounds far beyond any datacenter, yet small enough that products of them (a rate times a
    // duration, a size times a price) stay finite and a run cannot be asked to last for ever.

    /// <summary>The longest duration a scenario may give: 100 years, in seconds.</summary>
    public const double MaxSeconds = 100 * 365.25 * 86400;

    /// <summary>The largest size a scenario may give: 1 EB (10^18 bytes).</summary>
    public const double MaxBytes = 1e18;

    /// <summary>The highest rate a scenario may give: 10^12 per second.</summary>
    public const double MaxRate = 1e12;

    private ScenarioException TooLarge(string what, string limit) => Error($"expected {what} of at most {limit}, not {AsText()}");

    /// <summary>A duration in seconds; zero is allowed only when <paramref name="allowZero"/>.</summary>
    public double AsDuration(bool allowZero)
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParseDuration(AsText("a duration such as 250ms or 10min"), out double seconds, out string error))
        {
            throw Error(error);
        }
        if (seconds < 0 || (!allowZero && seconds == 0))
        {
            throw Error(allowZero ? $"expected a duration of zero or more, not {AsText()}" : $"expected a duration greater than zero, not {AsText()}");
        }
        if (seconds > MaxSeconds)
        {
            throw TooLarge("a duration", "100 years (36525d)");
        }
        return seconds;
    }

    public double AsSize(bool allowZero = true)
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParseSize(AsText("a size such as 8GB"), out double bytes, out string error))
        {
            throw Error(error);
        }
        if (bytes < 0 || (!allowZero && bytes == 0))
        {
            throw Error(allowZero ? $"expected a size of zero or more, not {AsText()}" : $"expected a size greater than zero, not {AsText()}");
        }
        if (bytes > MaxBytes)
        {
            throw TooLarge("a size", "1 EB (1000000TB)");
        }
        return bytes;
    }

    public double AsBandwidth()
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParseBandwidth(AsText("a bandwidth such as 1Gbps"), out double rate, out string error))
        {
            throw Error(error);
        }
        if (!(rate > 0))
        {
            throw Error($"expected a bandwidth greater than zero, not {AsText()}");
        }
        if (rate > MaxBytes)
        {
            throw TooLarge("a bandwidth", "1 EB/s");
        }
        return rate;
    }

    public double AsPower()
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParsePower(AsText("a power such as 250W"), out double watts, out string error))
        {
            throw Error(error);
        }
        if (watts < 0)
        {
            throw Error($"expected a power of zero or more, not {AsText()}");
        }
        if (watts > 1e9)
        {
            throw TooLarge("a power", "1 GW (1000000kW)");
        }
        return watts;
    }

    /// <summary>A plain number between <paramref name="min"/> and <paramref name="max"/> (a ratio, an efficiency).</summary>
    public double AsNumber(double min, double max, bool minExclusive = false)
    {
        SchemaRecorder.Kind(Path, "number");
        string text = AsText("a number");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw Error($"expected a number, not '{text}'");
        }
        if (value > max || value < min || (minExclusive && value == min))
        {
            throw Error($"expected a number {(minExclusive ? "above" : "from")} {min.ToString(CultureInfo.InvariantCulture)} {(minExclusive ? "and at most" : "to")} {max.ToString(CultureInfo.InvariantCulture)}, not {text}");
        }
        return value;
    }

    /// <summary>A price per unit of time (<c>0.50/h</c>), as money per second.</summary>
    public double AsPrice()
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParseRate(AsText("a price per time such as 0.50/h"), out double perSecond, out string error))
        {
            throw Error(error.Replace("a rate such as 3.2/s or 120/min", "a price per time such as 0.50/h", StringComparison.Ordinal));
        }
        if (perSecond < 0)
        {
            throw Error($"expected a price of zero or more, not {AsText()}");
        }
        if (perSecond > 1e9)
        {
            throw TooLarge("a price", "1e9/s");
        }
        return perSecond;
    }

    public IEnumerable<YamlValue> AsList(string expected)
    {
        SchemaRecorder.Kind(Path, "array");
        if (Node is not YamlSequenceNode list)
        {
            throw Error($"expected a list of {expected}");
        }
        int i = 0;
        foreach (var item in list.Children)
        {
            yield return new YamlValue(file, $"{Path}[{i++}]", item);
        }
    }

    /// <summary>A duration, or a distribution of durations.</summary>
    public Distribution AsDurationOrDistribution() =>
        Node is YamlMappingNode ? AsDurationDistribution() : new Distribution.Deterministic(AsDuration(allowZero: true));

    public double AsRate()
    {
        SchemaRecorder.Kind(Path, "quantity");
        if (!Units.TryParseRate(AsText("a rate such as 3.2/s"), out double rate, out string error))
        {
            throw Error(error);
        }
        if (!(rate > 0))
        {
            throw Error($"expected a rate greater than zero, not {AsText()}");
        }
        if (rate > MaxRate)
        {
            throw TooLarge("a rate", "1e12/s");
        }
        return rate;
    }

    public T AsChoice<T>(IReadOnlyDictionary<string, T> choices)
    {
        SchemaRecorder.Choice(Path, choices.Keys);
        string text = AsText();
        if (!choices.TryGetValue(text, out var value))
        {
            throw Error($"expected one of {string.Join(", ", choices.Keys)}, not '{text}'{Suggest.DidYouMean(text, [.. choices.Keys])}");
        }
        return value;
    }

    /// <summary>A distribution of durations: <c>{distribution: exponential, mean: 1s}</c> and kin.</summary>
    public Distribution AsDurationDistribution()
    {
        var section = AsSection("distribution", "mean", "value", "shape", "min", "max", "sd", "rate", "on", "off");
        var kindValue = section.Required("distribution", "exponential");
        string kind = kindValue.AsText();
        string[] parameters = kind switch
        {
            "exponential" => ["mean"],
            "deterministic" => ["value"],
            "erlang" => ["shape", "mean"],
            "uniform" => ["min", "max"],
            "lognormal" => ["mean", "sd"],
            "on_off" => ["rate", "on", "off"],
            _ => throw kindValue.Error($"expected one of exponential, deterministic, erlang, uniform, lognormal, on_off, not '{kind}'"
                + Suggest.DidYouMean(kind, ["exponential", "deterministic", "erlang", "uniform", "lognormal", "on_off"])),
        };
        section.AllowOnly(["distribution", .. parameters]);
        return kind switch
        {
            "exponential" => new Distribution.Exponential(section.Required("mean", "1s").AsDuration(false)),
            "deterministic" => new Distribution.Deterministic(section.Required("value", "1s").AsDuration(false)),
            "erlang" => new Distribution.Erlang((int)section.Required("shape", "2").AsInteger(1, 1000), section.Required("mean", "1s").AsDuration(false)),
            "uniform" => Uniform(section),
            "on_off" => new Distribution.OnOff(section.Required("rate", "2/s").AsRate(), section.Required("on", "1min").AsDuration(false),
                section.Required("off", "10min").AsDuration(false)),
            _ => new Distribution.LogNormal(section.Required("mean", "1s").AsDuration(false), section.Required("sd", "500ms").AsDuration(false)),
        };
    }

    private static Distribution Uniform(YamlSection section)
    {
        double min = section.Required("min").AsDuration(true);
        var maxValue = section.Required("max");
        double max = maxValue.AsDuration(false);
        if (max <= min)
        {
            throw maxValue.Error("expected max to be greater than min");
        }
        return new Distribution.Uniform(min, max);
    }
}
