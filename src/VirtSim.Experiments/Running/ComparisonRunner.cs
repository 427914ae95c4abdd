using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Running;

/// <summary>A comparison run: each deployment's own results, and the rows that set them side by side.</summary>
public sealed record ComparisonResult(Comparison Comparison, IReadOnlyList<RunResult> Runs, IReadOnlyList<ComparisonRow> Rows)
{
    /// <summary>The row of <paramref name="measure"/>; one the comparison lacks (a job's rows in an endless workload) is an error.</summary>
    public ComparisonRow Row(ComparisonMeasure measure) =>
        Rows.SingleOrDefault(r => r.Measure == measure) ?? throw new InvalidOperationException($"This comparison has no row '{measure.Name}' (rows: {string.Join(", ", Rows.Select(r => r.Metric))}).");
}

/// <summary>
/// Runs every deployment of a comparison with the same seeds, so that replication i of each sees
/// the same arrivals, and derives the measures an architect compares, replication by replication,
/// before taking intervals across replications.
/// </summary>
public static class ComparisonRunner
{
    private static readonly (ComparisonMeasure Measure, Func<Measured, string, double, double> Value)[] Measures =
    [
        (ComparisonMeasures.LatencyP50, (m, kind, _) => m[Workload(kind, MetricCatalogue.ServiceResponseP50, MetricCatalogue.FunctionResponseP50)]),
        (ComparisonMeasures.LatencyP95, (m, kind, _) => m[Workload(kind, MetricCatalogue.ServiceResponseP95, MetricCatalogue.FunctionResponseP95)]),
        (ComparisonMeasures.LatencyP99, (m, kind, _) => m[Workload(kind, MetricCatalogue.ServiceResponseP99, MetricCatalogue.FunctionResponseP99)]),
        (ComparisonMeasures.ColdStarts, (m, kind, _) => IsFunction(kind) ? m[MetricCatalogue.FunctionColdStartRatio.Of(ComparisonReader.Workload)] : 0),
        // Start-up: what a new replica takes before it serves; for a function, a cold start before execution.
        (ComparisonMeasures.StartupTime, (m, kind, _) => kind switch
        {
            ComparisonReader.Vms => m[MetricCatalogue.VmStartupMean],
            ComparisonReader.Containers => m[MetricCatalogue.PodStartupMean],
            _ => m[MetricCatalogue.FunctionColdStartMean.Of(ComparisonReader.Workload)],
        }),
        (ComparisonMeasures.BytesMoved, (m, _, _) => Zero(m[MetricCatalogue.ImageBytesPulled]) + Zero(m.Optional(MetricCatalogue.LayerBytesPulled, 0))),
        // A function's hosts, their utilization and energy are the provider's, not the architect's.
        (ComparisonMeasures.HostsUsed, (m, kind, _) => IsProvider(kind) ? double.NaN : m[MetricCatalogue.HostsUsed]),
        (ComparisonMeasures.CpuUtilization, (m, kind, _) => IsProvider(kind) ? double.NaN : m[MetricCatalogue.HostCpuUtilization]),
        (ComparisonMeasures.Energy, (m, kind, _) => IsProvider(kind) ? double.NaN : m[MetricCatalogue.Energy]),
        // Functions on the provider's platform are billed per use; self-hosted ones cost their hosts.
        (ComparisonMeasures.CostPerHour, (m, kind, hours) => IsProvider(kind) ? m[MetricCatalogue.FaasBill] / hours : m[MetricCatalogue.CostPerHour]),
        (ComparisonMeasures.CostPerMillion, (m, kind, hours) =>
        {
            double cost = IsProvider(kind) ? m[MetricCatalogue.FaasBill] : m[MetricCatalogue.Cost];
            double requests = IsFunction(kind) ? m[MetricCatalogue.FunctionInvocations.Of(ComparisonReader.Workload)]
                : m[MetricCatalogue.ServiceRequests.Of(ComparisonReader.Workload)];
            return requests > 0 ? cost / requests * 1e6 : double.NaN;
        }),
    ];

    /// <summary>
    /// The rows a job adds: the time from the start of the run until its last request ended, and
    /// what the job cost: the hosts' price for that long (they are let go once it is done) or the
    /// function's bill.
    /// </summary>
    private static readonly (ComparisonMeasure Measure, Func<Measured, string, double, double> Value)[] JobMeasures =
    [
        (ComparisonMeasures.Makespan, (m, kind, _) => m[Workload(kind, MetricCatalogue.ServiceMakespan, MetricCatalogue.FunctionMakespan)]),
        (ComparisonMeasures.JobCost, (m, kind, _) => IsProvider(kind) ? m[MetricCatalogue.FaasBill]
            : m[MetricCatalogue.CostPerHour] * m[Workload(kind, MetricCatalogue.ServiceMakespan, MetricCatalogue.FunctionMakespan)] / 3600),
    ];

    /// <summary>The rows of an endless workload, in order.</summary>
    public static IEnumerable<ComparisonMeasure> Rows => Measures.Select(m => m.Measure);

    /// <summary>The rows a job adds after those, in order.</summary>
    public static IEnumerable<ComparisonMeasure> JobRows => JobMeasures.Select(m => m.Measure);

    /// <summary>The names of the rows of an endless workload, in order.</summary>
    public static IEnumerable<string> MeasureNames => Rows.Select(m => m.Name);

    /// <summary>The names of the rows a job adds after those, in order.</summary>
    public static IEnumerable<string> JobMeasureNames => JobRows.Select(m => m.Name);

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
        return Assemble(comparison, runs);
    }

    /// <summary>The comparison's rows from its deployments' runs (as run here, or merged from shards).</summary>
    public static ComparisonResult Assemble(Comparison comparison, IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<ComparisonRow>();
        foreach (var (measure, value) in comparison.JobRequests is null ? Measures : [.. Measures, .. JobMeasures])
        {
            var cells = new List<ConfidenceInterval>();
            for (int d = 0; d < runs.Count; d++)
            {
                var (name, kind, _) = comparison.Deployments[d];
                double hours = runs[d].Scenario.Duration / 3600;
                var perReplication = runs[d].Replications
                    .Select(r => value(new Measured(r.Measurements, name), kind, hours))
                    .Where(double.IsFinite).ToList();
                cells.Add(ConfidenceInterval.Of(perReplication));
            }
            rows.Add(new ComparisonRow(measure, cells));
        }
        return new ComparisonResult(comparison, runs, rows);
    }

    private static double Zero(double x) => double.IsNaN(x) ? 0 : x;

    /// <summary>The workload's metric: its service's under VMs and containers, its function's otherwise.</summary>
    private static MetricKey Workload(string kind, Metric service, Metric function) =>
        (IsFunction(kind) ? function : service).Of(ComparisonReader.Workload);

    private static bool IsFunction(string kind) => kind is ComparisonReader.ProviderFunctions or ComparisonReader.SelfHostedFunctions;

    private static bool IsProvider(string kind) => kind == ComparisonReader.ProviderFunctions;
}
