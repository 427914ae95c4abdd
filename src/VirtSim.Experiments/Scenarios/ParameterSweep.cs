using System.Globalization;
using System.Text.RegularExpressions;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Scenarios;

/// <summary>How the points of a sweep are chosen from its parameters' values.</summary>
public enum SweepDesign
{
    /// <summary>Every combination of the values (a full factorial grid).</summary>
    Grid,

    /// <summary>A Latin hypercube sample: so many points, each parameter's values covered evenly, combined at random by a seed.</summary>
    LatinHypercube,
}

/// <summary>One value a sweep varies: its path in the file (as <c>--set</c> takes it) and the values it takes, as written.</summary>
/// <param name="Path">Such as <c>station.arrivals.rate</c> or <c>functions[api].keep_alive</c>.</param>
/// <param name="Values">The values, as YAML text (<c>0.5/s</c>, <c>5min</c>, <c>4</c>).</param>
public sealed partial record SweepParameter(string Path, IReadOnlyList<string> Values)
{
    [GeneratedRegex(@"^\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();

    /// <summary>Splits a value such as <c>0.5/s</c> into its number and its unit (<c>/s</c>); false when it does not start with a number.</summary>
    public static bool TrySplit(string value, out double number, out string unit)
    {
        var match = Quantity().Match(value);
        number = match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        unit = match.Success ? match.Groups[2].Value : "";
        return match.Success;
    }
}

/// <summary>
/// A sweep over any values of a scenario file (its <c>sweep:</c> section): each point sets every
/// parameter to one of its values, as <c>--set</c> would, and runs the scenario's replications with
/// the scenario's seed, so points differ by their values only (common random numbers).
/// </summary>
/// <param name="Parameters">What varies.</param>
/// <param name="Design">Grid or Latin hypercube.</param>
/// <param name="Points">For a Latin hypercube, how many points.</param>
/// <param name="Seed">For a Latin hypercube, the seed that combines the values.</param>
/// <param name="Metrics">The metrics to plot against each swept value; empty plots the run's first metric.</param>
public sealed record ParameterSweep(IReadOnlyList<SweepParameter> Parameters, SweepDesign Design, int Points, ulong Seed,
    IReadOnlyList<string>? Metrics = null)
{
    /// <summary>Most points a sweep may have (a grid multiplies quickly).</summary>
    public const int MaxPoints = 100_000;

    /// <summary>
    /// Every point read by <paramref name="parse"/> with its values set after
    /// <paramref name="overrides"/>: a value a point sets that the file's reader refuses is
    /// reported as the sweep's, naming <paramref name="file"/>.
    /// </summary>
    public List<T> ReadPoints<T>(string file, IReadOnlyList<Override>? overrides, Func<IReadOnlyList<Override>, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var points = new List<T>();
        foreach (var point in EveryPoint())
        {
            try
            {
                points.Add(parse([.. overrides ?? [], .. point]));
            }
            catch (ScenarioException e) when (e.Problem.StartsWith("--set ", StringComparison.Ordinal))
            {
                throw new ScenarioException(file, 0, 0, "sweep: " + e.Problem["--set ".Length..]);
            }
        }
        return points;
    }

    /// <summary>The points, in order: each a list of overrides, one per parameter.</summary>
    public IReadOnlyList<IReadOnlyList<Override>> EveryPoint()
    {
        var points = new List<IReadOnlyList<Override>>();
        if (Design == SweepDesign.Grid)
        {
            var index = new int[Parameters.Count];
            while (true)
            {
                points.Add([.. Parameters.Select((p, k) => new Override(p.Path, p.Values[index[k]]))]);
                int k2 = Parameters.Count - 1;
                while (k2 >= 0 && ++index[k2] == Parameters[k2].Values.Count)
                {
                    index[k2--] = 0;
                }
                if (k2 < 0)
                {
                    return points;
                }
            }
        }
        // Latin hypercube (McKay, Beckman and Conover 1979) over the values' indexes: each
        // parameter's n strata are visited once, in an order its own permutation gives.
        var random = new RandomStream(Seed);
        var columns = new int[Parameters.Count][];
        for (int k = 0; k < Parameters.Count; k++)
        {
            int m = Parameters[k].Values.Count;
            var strata = Enumerable.Range(0, Points).ToArray();
            for (int i = Points - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (strata[i], strata[j]) = (strata[j], strata[i]);
            }
            columns[k] = [.. strata.Select(s => Math.Min(m - 1, (int)((s + random.NextDouble()) / Points * m)))];
        }
        for (int i = 0; i < Points; i++)
        {
            points.Add([.. Parameters.Select((p, k) => new Override(p.Path, p.Values[columns[k][i]]))]);
        }
        return points;
    }

    /// <summary>Reads a scenario file's <c>sweep:</c> section.</summary>
    internal static ParameterSweep Read(YamlValue value)
    {
        var sweep = value.AsSection("parameters", "design", "points", "seed", "metrics");
        var parametersValue = sweep.Required("parameters", "[{path: station.arrivals.rate, values: [0.5/s, 0.7/s]}]");
        var parameters = new List<SweepParameter>();
        foreach (var item in parametersValue.AsList("parameters, each a path and its values"))
        {
            var p = item.AsSection("path", "values", "from", "to", "steps");
            var pathValue = p.Required("path", "station.arrivals.rate");
            string path = pathValue.AsText("a path, such as station.arrivals.rate");
            if (Override.Parse($"{path}=0", out string? problem) is null)
            {
                throw pathValue.Error(problem!.Replace("--set: ", "", StringComparison.Ordinal));
            }
            if (parameters.Any(q => q.Path == path))
            {
                throw pathValue.Error($"'{path}' is swept twice");
            }
            List<string> values;
            if (p.Optional("values") is { } valuesValue)
            {
                if (p.Optional("from") is { } extra)
                {
                    throw extra.Error("give values or from/to/steps, not both");
                }
                values = [.. valuesValue.AsList("values").Select(v => v.AsText("a value"))];
            }
            else
            {
                values = Range(p.Required("from", "0.5/s"), p.Required("to", "0.9/s"), p.Required("steps", "5"));
            }
            if (values.Count == 0)
            {
                throw p.Required("path").Error("expected at least one value");
            }
            parameters.Add(new SweepParameter(path, values));
        }
        if (parameters.Count == 0)
        {
            throw parametersValue.Error("expected at least one parameter to sweep");
        }
        var designValue = sweep.Optional("design");
        var design = designValue?.AsText() switch
        {
            null or "grid" => SweepDesign.Grid,
            "lhs" or "latin_hypercube" => SweepDesign.LatinHypercube,
            string other => throw designValue!.Error($"expected design grid or lhs (a Latin hypercube), not '{other}'{Suggest.DidYouMean(other, ["grid", "lhs"])}"),
        };
        int points;
        if (design == SweepDesign.Grid)
        {
            if (sweep.Optional("points") is { } pointsValue)
            {
                throw pointsValue.Error("a grid has a point per combination of values; points is for design: lhs");
            }
            double combinations = parameters.Aggregate(1.0, (n, q) => n * q.Values.Count);
            if (combinations > MaxPoints)
            {
                throw sweep.Required("parameters").Error($"the grid has {combinations:N0} points, more than {MaxPoints:N0}; sweep fewer values, or use design: lhs with points");
            }
            points = (int)combinations;
        }
        else
        {
            points = (int)sweep.Required("points", "50").AsInteger(2, MaxPoints);
        }
        ulong seed = sweep.Optional("seed")?.AsSeed() ?? 1;
        var metrics = sweep.Optional("metrics")?.AsList("metric names").Select(m => m.AsText("a metric name")).ToList() ?? [];
        return new ParameterSweep(parameters, design, points, seed, metrics);
    }

    /// <summary><paramref name="steps"/> values evenly from <paramref name="from"/> to <paramref name="to"/>, which share a unit (<c>0.5/s</c> to <c>0.9/s</c>).</summary>
    private static List<string> Range(YamlValue from, YamlValue to, YamlValue steps)
    {
        if (!SweepParameter.TrySplit(from.AsText("a number with its unit, such as 0.5/s"), out double x0, out string unit))
        {
            throw from.Error("expected a number with its unit, such as 0.5/s");
        }
        if (!SweepParameter.TrySplit(to.AsText("a number with its unit, such as 0.9/s"), out double x1, out string toUnit))
        {
            throw to.Error("expected a number with its unit, such as 0.9/s");
        }
        if (toUnit != unit)
        {
            throw to.Error($"expected the unit of from ('{unit}'), not '{toUnit}'");
        }
        int n = (int)steps.AsInteger(2, 10_000);
        return [.. Enumerable.Range(0, n).Select(i => (x0 + (x1 - x0) * i / (n - 1)).ToString("R", CultureInfo.InvariantCulture) + unit)];
    }
}
