using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Running;

/// <summary>One row of a comparison: a measure with its unit, and its interval under each deployment (in order).</summary>
public sealed record ComparisonRow(string Metric, string Unit, IReadOnlyList<ConfidenceInterval> Values);

/// <summary>A comparison run: each deployment's own results, and the rows that set them side by side.</summary>
public sealed record ComparisonResult(Comparison Comparison, IReadOnlyList<RunResult> Runs, IReadOnlyList<ComparisonRow> Rows);

/// <summary>
/// Runs every deployment of a comparison with the same seeds, so that replication i of each sees
/// the same arrivals, and derives the measures an architect compares, replication by replication,
/// before taking intervals across replications.
/// </summary>
public static class ComparisonRunner
{
    private static readonly (string Metric, string Unit, Func<Func<string, double>, string, double, double> Value)[] Measures =
    [
        ("latency p50", "s", (m, _, _) => m($"{ComparisonReader.Workload}.response_time_p50")),
        ("latency p95", "s", (m, _, _) => m($"{ComparisonReader.Workload}.response_time_p95")),
        ("latency p99", "s", (m, _, _) => m($"{ComparisonReader.Workload}.response_time_p99")),
        ("cold starts", "fraction", (m, kind, _) => IsFunction(kind) ? m($"{ComparisonReader.Workload}.cold_start_ratio") : 0),
        // Start-up: what a new replica takes before it serves; for a function, a cold start before execution.
        ("start-up time", "s", (m, kind, _) => kind switch
        {
            ComparisonReader.Vms => m("vm_startup_mean"),
            ComparisonReader.Containers => m("pod_startup_mean"),
            _ => m($"{ComparisonReader.Workload}.cold_start_mean"),
        }),
        ("bytes moved", "B", (m, _, _) => Zero(m("image_bytes_pulled")) + Zero(m("layer_bytes_pulled"))),
        // A function's hosts, their utilization and energy are the provider's, not the architect's.
        ("hosts used", "hosts", (m, kind, _) => IsProvider(kind) ? double.NaN : m("hosts_used")),
        ("CPU utilization", "fraction", (m, kind, _) => IsProvider(kind) ? double.NaN : m("host_cpu_utilization")),
        ("energy", "kWh", (m, kind, _) => IsProvider(kind) ? double.NaN : m("energy")),
        // Functions on the provider's platform are billed per use; self-hosted ones cost their hosts.
        ("cost per hour", "money/h", (m, kind, hours) => IsProvider(kind) ? m("faas_bill") / hours : m("cost_per_hour")),
        ("cost per million requests", "money", (m, kind, hours) =>
        {
            double cost = IsProvider(kind) ? m("faas_bill") : m("cost");
            double requests = IsFunction(kind) ? m($"{ComparisonReader.Workload}.invocations") : m($"{ComparisonReader.Workload}.requests");
            return requests > 0 ? cost / requests * 1e6 : double.NaN;
        }),
    ];

    /// <summary>
    /// The rows a job adds: the time from the start of the run until its last request ended, and
    /// what the job cost: the hosts' price for that long (they are let go once it is done) or the
    /// function's bill.
    /// </summary>
    private static readonly (string Metric, string Unit, Func<Func<string, double>, string, double, double> Value)[] JobMeasures =
    [
        ("makespan", "s", (m, _, _) => m($"{ComparisonReader.Workload}.makespan")),
        ("job cost", "money", (m, kind, _) => IsProvider(kind) ? m("faas_bill")
            : m("cost_per_hour") * m($"{ComparisonReader.Workload}.makespan") / 3600),
    ];

    /// <summary>The names of the rows of an endless workload, in order.</summary>
    public static IEnumerable<string> MeasureNames => Measures.Select(m => m.Metric);

    /// <summary>The names of the rows a job adds after those, in order.</summary>
    public static IEnumerable<string> JobMeasureNames => JobMeasures.Select(m => m.Metric);

    /// <summary>Runs every deployment of <paramref name="comparison"/>; <paramref name="progress"/> hears of each finished replication.</summary>
    public static ComparisonResult Run(Comparison comparison, RunOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        double done = 0;
        var runs = new List<RunResult>();
        foreach (var (_, _, scenario) in comparison.Deployments)
        {
            double before = done;
            var inner = progress is null ? null : new OffsetProgress(progress, before);
            var run = ExperimentRunner.Run(scenario, options, inner, cancellation);
            done += run.Replications.Count;
            runs.Add(run);
        }
        var rows = new List<ComparisonRow>();
        foreach (var (metric, unit, value) in comparison.JobRequests is null ? Measures : [.. Measures, .. JobMeasures])
        {
            var cells = new List<ConfidenceInterval>();
            for (int d = 0; d < runs.Count; d++)
            {
                string kind = comparison.Deployments[d].Kind;
                double hours = runs[d].Scenario.Duration / 3600;
                var perReplication = runs[d].Replications.Select(r =>
                {
                    var byName = r.Measurements.ToDictionary(x => x.Name, x => x.Value);
                    return value(name => byName.GetValueOrDefault(name, double.NaN), kind, hours);
                }).Where(double.IsFinite).ToList();
                cells.Add(ConfidenceInterval.Of(perReplication));
            }
            rows.Add(new ComparisonRow(metric, unit, cells));
        }
        return new ComparisonResult(comparison, runs, rows);
    }

    private static double Zero(double x) => double.IsNaN(x) ? 0 : x;

    private static bool IsFunction(string kind) => kind is ComparisonReader.ProviderFunctions or ComparisonReader.SelfHostedFunctions;

    private static bool IsProvider(string kind) => kind == ComparisonReader.ProviderFunctions;
}
