using System.Globalization;
using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Running;

/// <summary>
/// Says when a run's numbers are not steady-state values: a queue offered at least as much work as
/// it can serve grows for as long as the run lasts, so its "mean" response depends on the run's
/// length. Found from theory where the model gives it (a station's offered load λ·E[S]/c), and
/// otherwise from the run itself (a service or function that ends with a large share of its
/// requests unserved).
/// Also warns of pods that waited to the end for an engine with room: they never started.
/// </summary>
public static class Stability
{
    /// <summary>
    /// The share of a service's requests still unserved at the end above which its backlog counts
    /// as growing. A stable service ends with about as many requests in flight as it began with, a
    /// vanishing share of a long run's arrivals; one at 105% load leaves about 5% unserved.
    /// </summary>
    public const double BacklogShare = 0.05;

    /// <summary>The warnings for <paramref name="scenario"/> and what its replications measured; empty when none applies.</summary>
    public static IReadOnlyList<string> Warnings(Scenario scenario, IReadOnlyList<ReplicationResult> replications)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(replications);
        var warnings = new List<string>();
        // Every metric's mean over the replications, read once: a lookup per service and function
        // by scanning every measurement grew with the square of their number (10,000 functions: minutes).
        var means = Means(replications);
        if (scenario.Precision is { } precision && replications.Count >= precision.Max)
        {
            foreach (string name in precision.Metrics)
            {
                var values = replications.SelectMany(r => r.Measurements).Where(m => m.Name == name).Select(m => m.Value).Where(double.IsFinite).ToList();
                var interval = VirtSim.Kernel.Statistics.ConfidenceInterval.Of(values);
                if (!precision.Met(interval.Mean, interval.HalfWidth))
                {
                    warnings.Add(Invariant($"{name} was asked for to ±{precision.Relative * 100:G3}% but its 95% half-width is still {interval.HalfWidth / Math.Abs(interval.Mean) * 100:G3}% of its mean after the most replications allowed ({precision.Max}); raise precision.max or accept the wider interval"));
                }
            }
        }
        if (scenario.Station is { Capacity: null } station)
        {
            double load = station.Service.Mean / station.Interarrival.Mean / station.Servers;
            if (load >= 1)
            {
                warnings.Add(Invariant($"the station is offered a load of {load:G3} (λ·E[S]/c), at or above its capacity of 1: its queue grows without bound, so its means and percentiles grow with the run's length and are not steady-state values"));
            }
        }
        foreach (var service in scenario.Datacenter?.Services ?? [])
        {
            string n = service.Name;
            double arrived = Mean(means, MetricCatalogue.ServiceRequests.Of(n));
            double served = Mean(means, MetricCatalogue.ServiceThroughput.Of(n)) * scenario.Duration;
            double failed = Mean(means, MetricCatalogue.ServiceRequestsFailed.Of(n));
            double backlog = arrived - served - (double.IsFinite(failed) ? failed : 0);
            if (service.RequestLimit is null && arrived > 0 && backlog > BacklogShare * arrived)
            {
                warnings.Add(Invariant($"service '{n}' ended with a growing backlog: {backlog / arrived:P0} of its {arrived:G4} requests were not served by the end (a mean over replications); its offered load is at or above capacity, so its response times grow with the run's length and are not steady-state values"));
            }
        }
        foreach (var function in scenario.Datacenter?.Functions?.Functions ?? [])
        {
            // Arrived, less what ended (completed, killed at the limit, throttled, or abandoned on engines): what still waits or runs.
            string n = function.Name;
            double arrived = Mean(means, MetricCatalogue.FunctionInvocations.Of(n));
            double ended = Mean(means, MetricCatalogue.FunctionCompleted.Of(n)) + Mean(means, MetricCatalogue.FunctionTimeouts.Of(n))
                + Mean(means, MetricCatalogue.FunctionThrottled.Of(n))
                + (Mean(means, MetricCatalogue.FunctionAbandoned.Of(n)) is var abandoned && double.IsFinite(abandoned) ? abandoned : 0);
            double backlog = arrived - ended;
            if (function.InvocationLimit is null && arrived > 0 && backlog > BacklogShare * arrived)
            {
                warnings.Add(Invariant($"function '{n}' ended with a growing backlog: {backlog / arrived:P0} of its {arrived:G4} invocations had not ended by the end (a mean over replications); more arrive than its instances can serve, so its response times grow with the run's length and are not steady-state values"));
            }
        }
        foreach (var group in scenario.Datacenter?.Pods ?? [])
        {
            double pending = Mean(means, MetricCatalogue.PodGroupPending.Of(group.Pod.Name));
            if (pending > 0)
            {
                warnings.Add(Invariant($"pod group '{group.Pod.Name}' ended with {pending:G3} of its pods still waiting for an engine with room (cores, memory or a free host port; a mean over replications): they never started"));
            }
        }
        double allPending = Mean(means, MetricCatalogue.PodsPending);
        double inGroups = (scenario.Datacenter?.Pods ?? []).Sum(g => Mean(means, MetricCatalogue.PodGroupPending.Of(g.Pod.Name)));
        if (allPending > inGroups)
        {
            warnings.Add(Invariant($"{allPending - inGroups:G3} pods of services or self-hosted functions were still waiting for an engine with room at the end (a mean over replications)"));
        }
        return warnings;
    }

    private static Dictionary<string, (double Sum, int Count)> Means(IReadOnlyList<ReplicationResult> replications)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var replication in replications)
        {
            foreach (var measurement in replication.Measurements)
            {
                if (double.IsFinite(measurement.Value))
                {
                    var (sum, count) = sums.GetValueOrDefault(measurement.Name);
                    sums[measurement.Name] = (sum + measurement.Value, count + 1);
                }
            }
        }
        return sums;
    }

    private static double Mean(Dictionary<string, (double Sum, int Count)> means, MetricKey metric) =>
        means.TryGetValue(metric.Name, out var m) && m.Count > 0 ? m.Sum / m.Count : double.NaN;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
