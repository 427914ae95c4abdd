using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Running;

/// <summary>Every replication of a run, in index order, and the summary across them.</summary>
public sealed record RunResult(Scenario Scenario, IReadOnlyList<ReplicationResult> Replications)
{
    /// <summary>Each metric's mean and 95% confidence interval across replications (NaN values left out).</summary>
    public IReadOnlyList<MetricSummary> Summary { get; } = Summarize(Replications);

    /// <summary>Why some numbers are not steady-state values (see <see cref="Stability"/>); empty when nothing is amiss.</summary>
    public IReadOnlyList<string> Warnings { get; } = Stability.Warnings(Scenario, Replications);

    private static List<MetricSummary> Summarize(IReadOnlyList<ReplicationResult> replications)
    {
        var summary = new List<MetricSummary>();
        if (replications.Count == 0)
        {
            return summary;
        }
        var first = replications[0].Measurements;
        if (first.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            // The readers refuse names that would collide; a model built otherwise must not write two columns of one name.
            throw new InvalidOperationException($"Two measurements are named '{twice.Key}': give the services, batches, functions and pod groups distinct names.");
        }
        for (int m = 0; m < first.Count; m++)
        {
            var values = replications
                .Select(r => r.Measurements[m].Value)
                .Where(double.IsFinite)
                .ToList();
            summary.Add(new MetricSummary(first[m].Name, first[m].Unit, ConfidenceInterval.Of(values)));
        }
        return summary;
    }
}
