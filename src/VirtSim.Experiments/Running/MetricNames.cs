using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Running;

/// <summary>
/// Checks, before anything runs, that the metrics a file names (<c>precision.metrics</c>,
/// <c>sweep.metrics</c>) are metrics its model measures: a misspelt name is refused at its line
/// and column with the closest real name, instead of failing (or running on) after the first
/// replications. The names come from the model itself: one replication of a microsecond measures
/// every metric a full one does, since which metrics exist depends on what is declared, not on
/// what happens.
/// </summary>
public static class MetricNames
{
    /// <summary>The names of every metric <paramref name="scenario"/>'s replications measure.</summary>
    public static IReadOnlyList<string> Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var probe = scenario with { Warmup = 0, Duration = 1e-6, Replications = 1, Precision = null };
        var result = ExperimentRunner.Run(probe, new RunOptions(Replications: 1, Parallelism: 1));
        return [.. result.Replications[0].Measurements.Select(m => m.Name)];
    }

    /// <summary>
    /// Refuses a name under <c>precision.metrics</c> or <c>sweep.metrics</c> of
    /// <paramref name="file"/> (its <paramref name="text"/>) that <paramref name="scenario"/> does not measure.
    /// </summary>
    /// <param name="file">The file, for messages.</param>
    /// <param name="text">Its text.</param>
    /// <param name="scenario">The scenario it describes (a comparison's deployment, for a comparison's precision).</param>
    /// <param name="sections">Which lists to check: <c>precision</c>, <c>sweep</c> or both.</param>
    public static void Check(string file, string text, Scenario scenario, params string[] sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var root = YamlSection.LoadRoot(file, text);
        var named = sections.Select(s => root.Locate($"{s}.metrics")).Where(v => v.Path.EndsWith(".metrics", StringComparison.Ordinal)
            && v.Node is YamlDotNet.RepresentationModel.YamlSequenceNode).ToList();
        if (named.Count == 0)
        {
            return;
        }
        var known = Of(scenario).ToHashSet(StringComparer.Ordinal);
        foreach (var list in named)
        {
            foreach (var item in list.AsList("metric names"))
            {
                string name = item.AsText("a metric name");
                if (!known.Contains(name))
                {
                    throw item.Error($"this scenario measures no '{name}'{Suggest.DidYouMean(name, known)} (virtsim metrics lists them)");
                }
            }
        }
    }
}
