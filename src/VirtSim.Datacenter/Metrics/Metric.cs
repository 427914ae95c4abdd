namespace VirtSim.Datacenter.Metrics;

/// <summary>What a metric describes: the whole run, or one named thing of the scenario.</summary>
public enum MetricSubject
{
    /// <summary>The whole run (a datacenter's totals).</summary>
    Run,

    /// <summary>A queueing station (a scenario has at most one, so its metrics carry no prefix).</summary>
    Station,

    /// <summary>A service, named by the prefix <c>service.</c>.</summary>
    Service,

    /// <summary>A batch job.</summary>
    Batch,

    /// <summary>A group of VMs of one name.</summary>
    VmGroup,

    /// <summary>A group of plain pods.</summary>
    PodGroup,

    /// <summary>A function.</summary>
    Function,
}

/// <summary>Which way a metric is better, for comparisons and plots.</summary>
public enum Better
{
    /// <summary>Lower is better (latency, cost, bytes moved).</summary>
    Lower,

    /// <summary>Higher is better (throughput, hit ratios).</summary>
    Higher,

    /// <summary>Neither: a count that describes the run (requests, engines).</summary>
    Neither,
}

/// <summary>
/// A metric declared once: its name, unit, meaning and which way is better. The model measures
/// through it (<see cref="Of"/>, <see cref="Measurement(MetricKey, double)"/>), and writers,
/// comparisons and notebooks read measurements by it, so a renamed metric is a compile error,
/// not a silent "n/a". <see cref="MetricCatalogue"/> lists every one.
/// </summary>
/// <param name="Name">The name, a CSV column and JSON key (prefixed with the subject's name unless it is the run or the station).</param>
/// <param name="Unit">Its unit, such as <c>s</c>, <c>1/s</c> or <c>fraction</c>.</param>
/// <param name="Description">What it means, in a sentence.</param>
/// <param name="Better">Which way is better.</param>
/// <param name="Subject">What it describes.</param>
public sealed record Metric(string Name, string Unit, string Description, Better Better, MetricSubject Subject)
{
    /// <summary>This metric of the subject named <paramref name="owner"/> (a service, function, pod group...).</summary>
    public MetricKey Of(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (Subject is MetricSubject.Run or MetricSubject.Station)
        {
            throw new InvalidOperationException($"Metric '{Name}' describes the {Subject.ToString().ToLowerInvariant()}, not a named subject.");
        }
        return new(this, owner);
    }

    /// <summary>This metric of the run or the station.</summary>
    public MetricKey Key => Subject is MetricSubject.Run or MetricSubject.Station
        ? new(this, null)
        : throw new InvalidOperationException($"Metric '{Name}' describes a {Subject}: name which one with Of(name).");

    /// <summary>The column name a user sees: the name, or <c>&lt;subject&gt;.name</c>.</summary>
    public string Pattern => Subject switch
    {
        MetricSubject.Run or MetricSubject.Station => Name,
        MetricSubject.VmGroup => $"<vm group>.{Name}",
        MetricSubject.PodGroup => $"<pod group>.{Name}",
        _ => $"<{Subject.ToString().ToLowerInvariant()}>.{Name}",
    };

    /// <summary>Implicitly, the key of a metric of the run or the station.</summary>
    public static implicit operator MetricKey(Metric metric) => metric?.Key ?? throw new ArgumentNullException(nameof(metric));
}

/// <summary>A metric of one subject: what a measurement is of, and the column it is written in.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Owner">The subject's name; null for the run or the station.</param>
public readonly record struct MetricKey(Metric Metric, string? Owner)
{
    /// <summary>The column name: <c>owner.name</c>, or the name alone.</summary>
    public string Name => Owner is null ? Metric.Name : $"{Owner}.{Metric.Name}";

    /// <inheritdoc />
    public override string ToString() => Name;
}
