namespace VirtSim.Datacenter.Metrics;

/// <summary>One number a replication produced, with its unit.</summary>
/// <param name="Name">Stable identifier, used as a CSV column and a JSON key.</param>
/// <param name="Unit">Unit of <paramref name="Value"/>, such as <c>s</c>, <c>1/s</c> or <c>fraction</c>.</param>
/// <param name="Value">The value (NaN when the replication observed nothing to measure).</param>
public readonly record struct Measurement(string Name, string Unit, double Value)
{
    /// <summary>A measurement of <paramref name="key"/>: its name and unit come from the catalogue.</summary>
    public Measurement(MetricKey key, double value)
        : this(key.Name, key.Metric.Unit, value)
    {
        Metric = key.Metric;
    }

    /// <summary>The declared metric it measures; null for a measurement built from a bare name.</summary>
    public Metric? Metric { get; init; }
}
