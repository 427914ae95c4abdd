using VirtSim.Datacenter.Metrics;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Running;

/// <summary>
/// A row of a comparison: a measure an architect compares across deployments, declared once,
/// and read by writers, plots, reports and notebooks through its handle in <see cref="ComparisonMeasures"/>.
/// </summary>
/// <param name="Name">Its name in tables, such as <c>latency p99</c>.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Description">What it is, and how each kind of deployment gets it.</param>
/// <param name="Better">Which way is better.</param>
public sealed record ComparisonMeasure(string Name, string Unit, string Description, Better Better)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Every row a comparison can have.</summary>
public static class ComparisonMeasures
{
    /// <summary>Median latency.</summary>
    public static readonly ComparisonMeasure LatencyP50 = new("latency p50", "s", "median response time of the workload", Better.Lower);

    /// <summary>95th percentile latency.</summary>
    public static readonly ComparisonMeasure LatencyP95 = new("latency p95", "s", "95th percentile of the response time", Better.Lower);

    /// <summary>99th percentile latency.</summary>
    public static readonly ComparisonMeasure LatencyP99 = new("latency p99", "s", "99th percentile of the response time", Better.Lower);

    /// <summary>Cold starts.</summary>
    public static readonly ComparisonMeasure ColdStarts = new("cold starts", "fraction", "share of requests that started a new instance (0 for VMs and containers)", Better.Lower);

    /// <summary>Start-up time.</summary>
    public static readonly ComparisonMeasure StartupTime = new("start-up time", "s", "what a new replica takes before it serves: a VM's or pod's start-up, a function's cold start", Better.Lower);

    /// <summary>Bytes moved.</summary>
    public static readonly ComparisonMeasure BytesMoved = new("bytes moved", "B", "VM image and container layer bytes moved", Better.Lower);

    /// <summary>Hosts used.</summary>
    public static readonly ComparisonMeasure HostsUsed = new("hosts used", "hosts", "hosts that ran anything (n/a for the provider's functions)", Better.Lower);

    /// <summary>CPU utilization.</summary>
    public static readonly ComparisonMeasure CpuUtilization = new("CPU utilization", "fraction", "busy share of the hosts used (n/a for the provider's functions)", Better.Neither);

    /// <summary>Energy.</summary>
    public static readonly ComparisonMeasure Energy = new("energy", "kWh", "energy of the hosts used (n/a for the provider's functions)", Better.Lower);

    /// <summary>Cost per hour.</summary>
    public static readonly ComparisonMeasure CostPerHour = new("cost per hour", "USD/h", "the hosts' price, or the provider's bill, per hour", Better.Lower);

    /// <summary>Cost per million requests.</summary>
    public static readonly ComparisonMeasure CostPerMillion = new("cost per million requests", "USD", "cost over requests served, per million", Better.Lower);

    /// <summary>A job's makespan.</summary>
    public static readonly ComparisonMeasure Makespan = new("makespan", "s", "for a job: from the start until the last request ended", Better.Lower);

    /// <summary>A job's cost.</summary>
    public static readonly ComparisonMeasure JobCost = new("job cost", "USD", "for a job: the hosts' price for the makespan, or the function's bill", Better.Lower);
}

/// <summary>One row of a comparison: a measure and its interval under each deployment (in order).</summary>
/// <param name="Measure">The measure.</param>
/// <param name="Values">Its interval under each deployment.</param>
public sealed record ComparisonRow(ComparisonMeasure Measure, IReadOnlyList<ConfidenceInterval> Values)
{
    /// <summary>The measure's name.</summary>
    public string Metric => Measure.Name;

    /// <summary>The measure's unit.</summary>
    public string Unit => Measure.Unit;
}

/// <summary>A replication's measurements read by metric, as a comparison reads them.</summary>
internal sealed class Measured(IReadOnlyList<Measurement> measurements, string deployment)
{
    private readonly Dictionary<string, double> _byName = measurements.ToDictionary(m => m.Name, m => m.Value);

    /// <summary>The value of <paramref name="key"/>; a deployment that did not measure it is an error, never a silent n/a.</summary>
    public double this[MetricKey key] => _byName.TryGetValue(key.Name, out double value) ? value
        : throw new InvalidOperationException($"Deployment '{deployment}' did not measure {key.Name} ({key.Metric.Description}).");

    /// <summary>The value of <paramref name="key"/>, or <paramref name="absent"/> where the deployment has nothing it measures (no containers, no functions).</summary>
    public double Optional(MetricKey key, double absent) => _byName.GetValueOrDefault(key.Name, absent);
}
