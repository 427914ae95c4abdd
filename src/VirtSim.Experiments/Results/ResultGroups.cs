using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

/// <summary>
/// A run's metrics in groups a reader scans: one per service, function, VM or pod group (the
/// metrics named <c>name.metric</c>), then the run's own by what they measure (VMs, containers,
/// functions as a whole, hosts, energy and money). Rows that do not apply are left out: a metric
/// with no value in any replication, and a run-wide group that is all zeros (no VMs at all, no
/// containers). Files keep every row.
/// </summary>
public static class ResultGroups
{
    /// <summary>A group: its title and its metrics, each with the name shown inside the group.</summary>
    /// <param name="Title">What the group measures, such as <c>thumbnail</c> or <c>hosts, energy and money</c>.</param>
    /// <param name="Rows">Its metrics, in the model's order, with the name to show (without the group's prefix).</param>
    public sealed record Group(string Title, IReadOnlyList<(string Name, MetricSummary Metric)> Rows);

    /// <summary>The groups of <paramref name="metrics"/>; <paramref name="omitted"/> counts the rows left out.</summary>
    public static IReadOnlyList<Group> Of(IReadOnlyList<MetricSummary> metrics, out int omitted)
    {
        var groups = new List<(string Title, bool RunWide, List<(string, MetricSummary)> Rows)>();
        omitted = 0;
        foreach (var metric in metrics)
        {
            if (!double.IsFinite(metric.Interval.Mean))
            {
                omitted++;
                continue;
            }
            int dot = metric.Name.IndexOf('.', StringComparison.Ordinal);
            (string title, bool runWide, string shown) = dot > 0
                ? (metric.Name[..dot], false, metric.Name[(dot + 1)..])
                : (Area(metric.Name), true, metric.Name);
            int index = groups.FindIndex(g => g.Title == title);
            if (index < 0)
            {
                index = groups.Count;
                groups.Add((title, runWide, []));
            }
            groups[index].Rows.Add((shown, metric));
        }
        var kept = new List<Group>();
        foreach (var (title, runWide, rows) in groups)
        {
            if (runWide && groups.Count > 1 && rows.All(r => r.Item2.Interval.Mean == 0))
            {
                omitted += rows.Count;
                continue;
            }
            kept.Add(new Group(title, rows));
        }
        return kept;
    }

    /// <summary>The run-wide group a metric without a prefix belongs to, by what it measures.</summary>
    internal static string Area(string metric) => metric switch
    {
        _ when metric.StartsWith("vm", StringComparison.Ordinal) || metric.StartsWith("image_", StringComparison.Ordinal) => "VMs",
        _ when metric.StartsWith("pod", StringComparison.Ordinal) || metric.StartsWith("layer_", StringComparison.Ordinal)
            || metric.StartsWith("engine", StringComparison.Ordinal) || metric.StartsWith("autoscaler_", StringComparison.Ordinal) => "containers",
        _ when metric.StartsWith("faas_", StringComparison.Ordinal) => "functions, all",
        _ when metric.StartsWith("host", StringComparison.Ordinal) || metric.StartsWith("energy", StringComparison.Ordinal)
            || metric.StartsWith("power", StringComparison.Ordinal) || metric.StartsWith("cost", StringComparison.Ordinal)
            || metric.StartsWith("cpu_", StringComparison.Ordinal) || metric.StartsWith("network", StringComparison.Ordinal) => "hosts, energy and money",
        _ => "run",
    };
}
