using System.Text.Json;
using CsvHelper;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Writes a run's results: <c>summary.json</c> (each metric's mean and 95% confidence interval
/// with its unit) and <c>replications.csv</c> (one row per replication). Files are written into
/// a staging folder and moved into place at the end (see <see cref="OutputFolder"/>), so a failed
/// or interrupted run never leaves half-written results.
/// </summary>
public static class ResultWriter
{
    /// <summary>The summary file's name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The per-replication file's name.</summary>
    public const string ReplicationsFile = "replications.csv";

    /// <summary>The VM timeline file's name (replication 0, when asked for).</summary>
    public const string TimelineFile = "vm_timeline.csv";

    /// <summary>The utilization samples file's name (replication 0, with the timeline).</summary>
    public const string UtilizationFile = "utilization.csv";

    /// <summary>The function instances file's name (replication 0, with the timeline, when there are functions).</summary>
    public const string FunctionInstancesFile = "function_instances.csv";

    /// <summary>The pod timeline file's name (replication 0, with the timeline, when there are pods).</summary>
    public const string PodTimelineFile = "pod_timeline.csv";

    /// <summary>The cold starts file's name (replication 0, with the timeline, when functions started cold).</summary>
    public const string ColdStartsFile = "cold_starts.csv";

    /// <summary>
    /// Writes <paramref name="result"/> into <paramref name="directory"/>, replacing VirtSim's
    /// earlier results there (see <see cref="OutputFolder"/>); returns the files' names.
    /// </summary>
    public static IReadOnlyList<string> Write(RunResult result, string directory)
    {
        using var folder = OutputFolder.Prepare(directory);
        return Write(result, folder);
    }

    /// <summary>Writes <paramref name="result"/> into a prepared <paramref name="folder"/>; returns the files' names.</summary>
    public static IReadOnlyList<string> Write(RunResult result, OutputFolder folder, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        IReadOnlyList<string> written = [];
        folder.Commit(staging => written = WriteInto(result, staging), cancellation);
        return written;
    }

    /// <summary>Writes a run's files into an existing folder.</summary>
    internal static IReadOnlyList<string> WriteInto(RunResult result, string staging)
    {
        var written = new List<string> { SummaryFile, ReplicationsFile };
        {
            WriteSummary(result, Path.Combine(staging, SummaryFile));
            WriteReplications(result, Path.Combine(staging, ReplicationsFile));
            var first = result.Replications.Count > 0 ? result.Replications[0] : null;
            if (first?.Timeline is { Count: > 0 } timeline)
            {
                WriteTimeline(timeline, r => (r.Vm, r.Name, r.Host, r.Phase, r.Time), ["vm", "name", "host"], Path.Combine(staging, TimelineFile));
                written.Add(TimelineFile);
            }
            if (first?.PodTimeline is { Count: > 0 } pods)
            {
                WriteTimeline(pods, r => (r.Pod, r.Name, r.Engine, r.Phase, r.Time), ["pod", "name", "engine"], Path.Combine(staging, PodTimelineFile));
                written.Add(PodTimelineFile);
            }
            if (first?.ColdStarts is { Count: > 0 } coldStarts)
            {
                WriteColdStarts(coldStarts, Path.Combine(staging, ColdStartsFile));
                written.Add(ColdStartsFile);
            }
            if (first?.Utilization is { Count: > 0 } samples)
            {
                WriteUtilization(samples, Path.Combine(staging, UtilizationFile));
                written.Add(UtilizationFile);
            }
            if (first?.FunctionInstances is { Count: > 0 } instances)
            {
                WriteFunctionInstances(instances, Path.Combine(staging, FunctionInstancesFile));
                written.Add(FunctionInstancesFile);
            }
            return written;
        }
    }

    private static void WriteSummary(RunResult result, string path)
    {
        using var stream = File.Create(path);
        WriteSummary(result, stream);
    }

    /// <summary>Writes what <c>summary.json</c> holds into <paramref name="stream"/> (for <c>--format json</c>).</summary>
    public static void WriteSummary(RunResult result, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var scenario = result.Scenario;
        json.WriteStartObject();
        json.WriteString("scenario", scenario.Name);
        json.WriteString("description", scenario.Description);
        json.WriteNumber("seed", scenario.Seed);
        json.WriteNumber("replications", result.Replications.Count);
        json.WriteNumber("warmup_s", scenario.Warmup);
        json.WriteNumber("duration_s", scenario.Duration);
        json.WriteNumber("confidence_level", 0.95);
        json.WriteString("virtsim_version", VirtSimVersion.Version);
        if (VirtSimVersion.Commit is { } commit)
        {
            json.WriteString("virtsim_commit", commit);
        }
        if (scenario.Precision is { } precision)
        {
            // How the number of replications was decided, and whether the target was met.
            json.WriteStartObject("precision");
            json.WriteStartArray("metrics");
            foreach (string name in precision.Metrics)
            {
                json.WriteStringValue(name);
            }
            json.WriteEndArray();
            json.WriteNumber("relative", precision.Relative);
            json.WriteNumber("min", precision.Min);
            json.WriteNumber("max", precision.Max);
            json.WriteBoolean("met", precision.Metrics.All(name =>
                result.Summary.FirstOrDefault(m => m.Name == name) is { } m && precision.Met(m.Interval.Mean, m.Interval.HalfWidth)));
            json.WriteEndObject();
        }
        json.WriteStartObject("metrics");
        foreach (var metric in result.Summary)
        {
            json.WriteStartObject(metric.Name);
            json.WriteString("unit", metric.Unit);
            WriteNumberOrNull(json, "mean", metric.Interval.Mean);
            WriteNumberOrNull(json, "ci95_low", Math.Max(0, metric.Interval.Low));
            WriteNumberOrNull(json, "ci95_high", metric.Interval.High);
            WriteNumberOrNull(json, "ci95_half_width", metric.Interval.HalfWidth);
            json.WriteNumber("replications", metric.Interval.Count);
            if (ReachesBelowZero(metric.Interval))
            {
                json.WriteString("note", BelowZeroNote);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartArray("warnings");
        foreach (string warning in result.Warnings)
        {
            json.WriteStringValue(warning);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Each metric's mean and 95% interval as CSV, SI units (for <c>--format csv</c>).</summary>
    public static void WriteSummaryCsv(RunResult result, Stream stream)
    {
        using var csv = CsvWriter.Create(stream);
        csv.WriteHeader(["metric", "unit", "mean", "ci95_low", "ci95_high", "replications"]);
        foreach (var metric in result.Summary)
        {
            csv.WriteField(metric.Name);
            csv.WriteField(metric.Unit);
            csv.WriteNumberOrEmpty(metric.Interval.Mean);
            csv.WriteNumberOrEmpty(ReachesBelowZero(metric.Interval) ? 0 : metric.Interval.Low);
            csv.WriteNumberOrEmpty(metric.Interval.High);
            csv.WriteField(metric.Interval.Count, "D");
            csv.EndRecord();
        }
    }

    /// <summary>The run's metrics as Markdown, grouped (see <see cref="ResultGroups"/>), each in a unit that suits it (for <c>--format md</c>).</summary>
    public static string Markdown(RunResult result)
    {
        var text = new System.Text.StringBuilder();
        var scenario = result.Scenario;
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"# {scenario.Name}");
        text.AppendLine();
        if (scenario.Description.Length > 0)
        {
            text.AppendLine(scenario.Description);
            text.AppendLine();
        }
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
            $"{result.Replications.Count} replications, seed {scenario.Seed}; mean and half-width of the 95% confidence interval.");
        var groups = ResultGroups.Of(result.Summary, out int omitted);
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            text.AppendLine();
            if (groups.Count > 1)
            {
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"## {group.Title}");
                text.AppendLine();
            }
            text.AppendLine("| Metric | Mean | ± 95% | Unit |");
            text.AppendLine("|---|---:|---:|---|");
            foreach (var (name, metric) in group.Rows)
            {
                var cell = Readable.Format(metric.Interval, metric.Unit, metric.Name);
                string marks = Marks(metric.Interval, cell, notes);
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"| {VirtSim.Experiments.Scenarios.PathNames.InCell(name)} | {cell.Mean} | {cell.HalfWidth}{marks} | {cell.Unit} |");
            }
        }
        text.AppendLine();
        foreach (string note in notes)
        {
            text.AppendLine(note);
        }
        if (omitted > 0)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{omitted} metrics that do not apply to this run are left out; summary.json has them all.");
        }
        return text.ToString();
    }

    /// <summary>The marks after a half-width (†: clipped at zero; ‡: the sketch's resolution), each note added once to <paramref name="notes"/>.</summary>
    public static string Marks(VirtSim.Kernel.Statistics.ConfidenceInterval interval, Readable.Cell cell, ISet<string> notes)
    {
        string marks = "";
        if (ReachesBelowZero(interval))
        {
            marks += " †";
            notes.Add($"† {BelowZeroNote}.");
        }
        if (cell.AtResolution)
        {
            marks += " ‡";
            notes.Add($"‡ {Readable.SketchNote}.");
        }
        return marks;
    }

    /// <summary>
    /// Whether an interval reaches below zero. Every quantity VirtSim measures (a time, a count, a
    /// share, bytes, energy, money) is zero or more, so such an interval is clipped at zero with
    /// <see cref="BelowZeroNote"/>: the Student t interval assumes nearly normal replication means,
    /// which fails for a few heavy-tailed replications (a queue near saturation).
    /// </summary>
    public static bool ReachesBelowZero(VirtSim.Kernel.Statistics.ConfidenceInterval interval) =>
        double.IsFinite(interval.HalfWidth) && interval.Mean >= 0 && interval.Low < 0;

    /// <summary>The note beside an interval clipped at zero.</summary>
    public const string BelowZeroNote = "the 95% t interval reaches below zero, where this quantity cannot go, and is clipped at 0: its replications are too few or too spread (heavy-tailed, as near saturation) for a symmetric interval";

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteTimeline<T>(IReadOnlyList<T> timeline, Func<T, (int Id, string Name, string? Where, string Phase, double Time)> fields,
        string[] who, string path)
    {
        // One row per phase, with its end: the start of the same VM's or pod's next phase (empty if none yet).
        using var csv = CsvWriter.ToFile(path);
        csv.WriteHeader([.. who, "phase", "start[s]", "end[s]"]);
        var rows = timeline.Select(fields).ToList();
        var next = new Dictionary<int, double>();
        var ends = new double[rows.Count];
        for (int i = rows.Count - 1; i >= 0; i--)
        {
            ends[i] = next.TryGetValue(rows[i].Id, out double end) ? end : double.NaN;
            next[rows[i].Id] = rows[i].Time;
        }
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            csv.WriteField(row.Id, "D");
            csv.WriteField(row.Name);
            csv.WriteField(row.Where ?? "");
            csv.WriteField(row.Phase);
            csv.WriteField(row.Time, "R");
            csv.WriteNumberOrEmpty(ends[i]);
            csv.EndRecord();
        }
    }

    private static void WriteColdStarts(IReadOnlyList<ColdStart> starts, string path)
    {
        using var csv = CsvWriter.ToFile(path);
        csv.WriteHeader(["function", "requested[s]", "container_running[s]", "ready[s]", "cold_start[s]"]);
        foreach (var start in starts)
        {
            csv.WriteField(start.Function);
            csv.WriteField(start.Requested, "R");
            csv.WriteField(start.ContainerRunning, "R");
            csv.WriteField(start.Ready, "R");
            csv.WriteField(start.Ready - start.Requested, "R");
            csv.EndRecord();
        }
    }

    private static void WriteUtilization(IReadOnlyList<UtilizationRow> samples, string path)
    {
        using var csv = CsvWriter.ToFile(path);
        csv.WriteHeader(["time[s]", "kind", "name", "cpu_utilization[fraction]"]);
        foreach (var sample in samples)
        {
            csv.WriteField(sample.Time, "R");
            csv.WriteField(sample.Kind);
            csv.WriteField(sample.Name);
            csv.WriteField(sample.CpuUtilization, "R");
            csv.EndRecord();
        }
    }

    private static void WriteFunctionInstances(IReadOnlyList<FunctionInstancesRow> rows, string path)
    {
        using var csv = CsvWriter.ToFile(path);
        csv.WriteHeader(["time[s]", "function", "busy[instances]", "idle[instances]"]);
        foreach (var row in rows)
        {
            csv.WriteField(row.Time, "R");
            csv.WriteField(row.Function);
            csv.WriteField(row.Busy, "D");
            csv.WriteField(row.Idle, "D");
            csv.EndRecord();
        }
    }

    private static void WriteReplications(RunResult result, string path)
    {
        using var csv = CsvWriter.ToFile(path);
        var metrics = result.Summary;
        var header = new List<string> { "replication", "seed", "events" };
        header.AddRange(metrics.Select(m => $"{m.Name}[{m.Unit}]"));
        csv.WriteHeader(header.ToArray());
        foreach (var replication in result.Replications)
        {
            csv.WriteField(replication.Index, "D");
            csv.WriteField(replication.Seed, "D");
            csv.WriteField(replication.Events, "D");
            foreach (var measurement in replication.Measurements)
            {
                csv.WriteNumberOrEmpty(measurement.Value);
            }
            csv.EndRecord();
        }
    }
}
