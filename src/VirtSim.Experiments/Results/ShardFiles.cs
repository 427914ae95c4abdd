using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// The partial results of one shard (<c>shard-0003-of-0010.json</c>) and their merge into the
/// results of the whole run. A shard file holds the scenario file's text, the seed and the number
/// of replications of the whole run, and its replications with every measurement to the last bit
/// (and replication 0's timeline when it is the shard's); merging the files of all shards gives a
/// <see cref="RunResult"/> equal to one process's, so <see cref="ResultWriter"/> writes the same bytes.
/// </summary>
public static class ShardFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // NaN stands for "no value" in a measurement; every double round-trips exactly.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // A field left out or set to null where the record has no default is an error naming it, not a zero or a null reference later.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Converters = { new MeasurementConverter() },
    };

    /// <summary>A measurement as <c>["name", "unit", value]</c>: what the results need of it, without its catalogue entry.</summary>
    private sealed class MeasurementConverter : JsonConverter<VirtSim.Datacenter.Metrics.Measurement>
    {
        public override VirtSim.Datacenter.Metrics.Measurement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("a measurement is [name, unit, value]");
            }
            reader.Read();
            string name = (reader.TokenType == JsonTokenType.String ? reader.GetString() : null) ?? throw new JsonException("a measurement needs a name, as text");
            reader.Read();
            string unit = (reader.TokenType == JsonTokenType.String ? reader.GetString() : null) ?? throw new JsonException("a measurement needs a unit, as text");
            reader.Read();
            double value = reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.String when double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double parsed) => parsed,
                _ => throw new JsonException($"measurement {name}: expected a number as its value"),
            };
            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("a measurement is [name, unit, value]");
            }
            return new VirtSim.Datacenter.Metrics.Measurement(name, unit, value);
        }

        public override void Write(Utf8JsonWriter writer, VirtSim.Datacenter.Metrics.Measurement value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(value.Name);
            writer.WriteStringValue(value.Unit);
            if (double.IsFinite(value.Value))
            {
                writer.WriteNumberValue(value.Value);
            }
            else
            {
                writer.WriteStringValue(value.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
            writer.WriteEndArray();
        }
    }

    /// <summary>What one shard file holds.</summary>
    /// <param name="Format">The file format's version.</param>
    /// <param name="File">The scenario file as the shard was given it (its name names the scenario when the file does not).</param>
    /// <param name="Text">The scenario file's text.</param>
    /// <param name="Seed">The master seed of the whole run.</param>
    /// <param name="Replications">Replications of the whole run.</param>
    /// <param name="Index">This shard's index.</param>
    /// <param name="Count">How many shards in all.</param>
    /// <param name="Version">The VirtSim version that ran it.</param>
    /// <param name="Results">This shard's replications.</param>
    /// <param name="Sets">The values changed on the command line (<c>--set PATH=VALUE</c>), in order.</param>
    /// <param name="Points">For a sweep: the points this shard ran, each with all its replications (<paramref name="Results"/> is then empty).</param>
    /// <param name="Deployments">For one comparison: each deployment's replications this shard ran, in the file's order.</param>
    public sealed record Part(int Format, string File, string Text, ulong Seed, int Replications, int Index, int Count, string Version,
        IReadOnlyList<ReplicationResult> Results, IReadOnlyList<string>? Sets = null, IReadOnlyList<PointPart>? Points = null,
        IReadOnlyList<IReadOnlyList<ReplicationResult>>? Deployments = null);

    /// <summary>One point of a sweep, as a shard ran it.</summary>
    /// <param name="Point">Its index in the sweep.</param>
    /// <param name="Results">All its replications (a scenario's sweep).</param>
    /// <param name="Deployments">For a comparison's sweep: each deployment's replications, in the file's order.</param>
    public sealed record PointPart(int Point, IReadOnlyList<ReplicationResult> Results, IReadOnlyList<IReadOnlyList<ReplicationResult>>? Deployments = null);

    /// <summary>Writes the replications of one comparison that <paramref name="shard"/> ran (every deployment's share) into <paramref name="folder"/>.</summary>
    public static string WriteComparison(ComparisonResult result, Shard shard, ulong seed, string file, string text, string folder,
        IReadOnlyList<Override>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName(shard));
        var part = new Part(1, file, text, seed, 0, shard.Index, shard.Count, VirtSimVersion.Version, [],
            [.. (overrides ?? []).Select(o => o.ToString())], null, [.. result.Runs.Select(r => r.Replications)]);
        return WriteWhole(part, path);
    }

    /// <summary>Writes the points of a comparison's sweep that <paramref name="shard"/> ran into <paramref name="folder"/>, whole or not at all.</summary>
    public static string WriteComparisonSweep(IReadOnlyList<(int Point, ComparisonResult Result)> points, Shard shard, ulong seed, int? replications,
        string file, string text, string folder, IReadOnlyList<Override>? overrides = null)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName(shard));
        var part = new Part(1, file, text, seed, replications ?? 0, shard.Index, shard.Count, VirtSimVersion.Version, [],
            [.. (overrides ?? []).Select(o => o.ToString())],
            [.. points.Select(p => new PointPart(p.Point, [], [.. p.Result.Runs.Select(r => r.Replications)]))]);
        return WriteWhole(part, path);
    }

    /// <summary>The file name of shard <paramref name="shard"/>.</summary>
    public static string FileName(Shard shard) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"shard-{shard.Index:D4}-of-{shard.Count:D4}.json");

    /// <summary>Says what stops shard files from being written into <paramref name="folder"/>, or null.</summary>
    public static string? Problem(string folder, Shard shard, bool force)
    {
        string full = Path.GetFullPath(folder);
        if (File.Exists(full))
        {
            return "is a file; --out names the folder the shards write their parts into";
        }
        string path = Path.Combine(full, FileName(shard));
        if (File.Exists(path) && !force && !IsPart(path))
        {
            return $"holds {FileName(shard)}, which VirtSim did not write; --force replaces it";
        }
        return null;
    }

    private static bool IsPart(string path)
    {
        var buffer = new byte[64];
        using var stream = File.OpenRead(path);
        int read = stream.Read(buffer, 0, buffer.Length);
        return Encoding.UTF8.GetString(buffer, 0, read).StartsWith("{\"Format\":", StringComparison.Ordinal);
    }

    /// <summary>Writes the part of <paramref name="result"/> that <paramref name="shard"/> ran into <paramref name="folder"/>, whole or not at all.</summary>
    public static string Write(RunResult result, Shard shard, int replications, string file, string text, string folder,
        IReadOnlyList<Override>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName(shard));
        var part = new Part(1, file, text, result.Scenario.Seed, replications, shard.Index, shard.Count, VirtSimVersion.Version, result.Replications,
            [.. (overrides ?? []).Select(o => o.ToString())]);
        return WriteWhole(part, path);
    }

    /// <summary>Writes the points of a sweep that <paramref name="shard"/> ran into <paramref name="folder"/>, whole or not at all.</summary>
    public static string WriteSweep(IReadOnlyList<(int Point, RunResult Run)> runs, Shard shard, ulong seed, int? replications, string file, string text,
        string folder, IReadOnlyList<Override>? overrides = null)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName(shard));
        var part = new Part(1, file, text, seed, replications ?? 0, shard.Index, shard.Count, VirtSimVersion.Version, [],
            [.. (overrides ?? []).Select(o => o.ToString())], [.. runs.Select(r => new PointPart(r.Point, r.Run.Replications))]);
        return WriteWhole(part, path);
    }

    /// <summary>Writes <paramref name="part"/> beside <paramref name="path"/> and moves it there when complete: a part is there whole or not at all.</summary>
    private static string WriteWhole(Part part, string path)
    {
        string temporary = $"{path}.{Environment.ProcessId}.partial";
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(part, Json));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return path;
    }

    /// <summary>
    /// Joins the shard files found in <paramref name="folders"/> (files or folders) into the run
    /// they are parts of. Every shard of one run must be there once; anything else is a
    /// <see cref="ShardMergeException"/> saying what is wrong.
    /// </summary>
    public static RunResult Merge(IReadOnlyList<string> folders) =>
        MergeAny(folders) is { Run: { } run } ? run
        : throw new ShardMergeException(string.Join(", ", folders), "holds the parts of a sweep; merge them with MergeAny");

    /// <summary>
    /// Joins shard files into the run, or the sweep (of a scenario or a comparison), they are parts
    /// of (one of the three is set), with the text of the file they ran (for the report).
    /// </summary>
    public static (RunResult? Run, ParameterSweepResult? Sweep, ComparisonSweepResult? ComparisonSweep, string Text) MergeAny(IReadOnlyList<string> folders) =>
        Merged(folders) is var m ? (m.Run, m.Sweep, m.ComparisonSweep, m.Text) : default;

    /// <summary>Joins shard files into whatever they are parts of: a run, a sweep, a comparison's sweep or one comparison (one is set).</summary>
    public static (RunResult? Run, ParameterSweepResult? Sweep, ComparisonSweepResult? ComparisonSweep, ComparisonResult? Comparison, string Text) Merged(
        IReadOnlyList<string> folders) => Read(folders) is var m ? (m.Run, m.Sweep, m.ComparisonSweep, m.Comparison, m.Text) : default;

    /// <summary>
    /// Joins shard files as <see cref="Merged"/> does, and says which results folder a run of the
    /// same file would have written by default (<c>results/NAME</c>, NAME the scenario file's name),
    /// or null where that name could not be a folder's.
    /// </summary>
    public static (RunResult? Run, ParameterSweepResult? Sweep, ComparisonSweepResult? ComparisonSweep, ComparisonResult? Comparison, string Text, string? DefaultFolder) Read(
        IReadOnlyList<string> folders)
    {
        var files = new List<string>();
        foreach (string given in folders)
        {
            if (Directory.Exists(given))
            {
                files.AddRange(Directory.GetFiles(given, "shard-*-of-*.json").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(given))
            {
                files.Add(given);
            }
            else
            {
                throw new ShardMergeException(given, "no such file or folder");
            }
        }
        if (files.Count == 0)
        {
            throw new ShardMergeException(string.Join(", ", folders), "holds no shard files (shard-NNNN-of-NNNN.json, written by virtsim run --shard i/N --out DIR)");
        }
        var parts = new List<(string Path, Part Part)>();
        foreach (string file in files)
        {
            if (FileKind.Of(file) is not FileKind.Kind.Regular and var kind)
            {
                throw new ShardMergeException(file, $"is {FileKind.Describe(kind)}; a shard is a regular file written by virtsim run --shard");
            }
            Part part;
            try
            {
                // Read as a stream: a shard of several gigabytes is read like a small one.
                using var stream = File.OpenRead(file);
                part = JsonSerializer.Deserialize<Part>(stream, Json) ?? throw new JsonException("empty");
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                throw new ShardMergeException(file, $"is not a shard file VirtSim wrote ({Messages.Escape(e.Message)})");
            }
            if (ShardCheck.Problem(part) is { } problem)
            {
                throw new ShardMergeException(file, $"is not a shard file VirtSim wrote: {Messages.Escape(problem)}");
            }
            parts.Add((file, part));
        }
        var (firstPath, first) = parts[0];
        foreach (var (path, part) in parts)
        {
            if (part.Text != first.Text || part.Seed != first.Seed || part.Replications != first.Replications || part.Count != first.Count
                || !(part.Sets ?? []).SequenceEqual(first.Sets ?? []))
            {
                throw new ShardMergeException(path, $"belongs to another run than {firstPath} (scenario text, --set values, seed, replications or shard count differ)");
            }
            if (part.Version != first.Version)
            {
                throw new ShardMergeException(path, $"was written by VirtSim {part.Version}, {firstPath} by {first.Version}; run every shard with one version");
            }
        }
        var byIndex = new Dictionary<int, string>();
        foreach (var (path, part) in parts)
        {
            if (!byIndex.TryAdd(part.Index, path))
            {
                throw new ShardMergeException(path, $"is shard {part.Index} of {part.Count} again (also in {byIndex[part.Index]})");
            }
        }
        var missing = Enumerable.Range(0, first.Count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw new ShardMergeException(string.Join(", ", folders),
                $"lacks shard {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")} of {first.Count}; run those (--shard i/{first.Count}) and merge again");
        }
        string name = Path.GetFileNameWithoutExtension(first.File);
        // The folder a run of this file writes by default, under the same rule (run refuses names that are paths).
        string? folder = PathNames.Problem(name) is null ? Path.Combine("results", name) : null;
        var overrides = (first.Sets ?? []).Select(text => Override.Parse(text, out _)
            ?? throw new ShardMergeException(firstPath, $"holds a --set value that is not PATH=VALUE: '{text}'")).ToList();
        if (first.Points is { Count: > 0 } && first.Points[0].Deployments is not null)
        {
            var (comparisonSweep, comparisons) = ComparisonReader.ReadSweep(first.File, first.Text, overrides)
                ?? throw new ShardMergeException(firstPath, "holds points of a comparison's sweep, but its file has no sweep of parameters");
            var comparisonPoints = parts.SelectMany(p => p.Part.Points ?? []).OrderBy(p => p.Point).ToList();
            if (!comparisonPoints.Select(p => p.Point).SequenceEqual(Enumerable.Range(0, comparisons.Count)))
            {
                throw new ShardMergeException(firstPath, $"the shards hold points other than 0 to {comparisons.Count - 1}");
            }
            var results = comparisonPoints.Select(p =>
            {
                var comparison = comparisons[p.Point];
                var runs = comparison.Deployments.Select((d, i) => new RunResult(d.Scenario with { Seed = first.Seed }, p.Deployments![i])).ToList();
                return ComparisonRunner.Assemble(comparison, runs);
            }).ToList();
            return (null, null, new ComparisonSweepResult(comparisonSweep, comparisonSweep.EveryPoint(), results), null, first.Text, folder);
        }
        if (first.Deployments is not null)
        {
            var comparison = ComparisonReader.Parse(first.File, first.Text, overrides);
            var runs = new List<RunResult>();
            for (int d = 0; d < comparison.Deployments.Count; d++)
            {
                var merged = parts.SelectMany(p => p.Part.Deployments is { } deployments && d < deployments.Count ? deployments[d] : []).OrderBy(r => r.Index).ToList();
                if (!merged.Select(r => r.Index).SequenceEqual(Enumerable.Range(0, merged.Count)))
                {
                    throw new ShardMergeException(firstPath, $"deployment {comparison.Deployments[d].Name}: the shards do not hold its replications 0 to {merged.Count - 1} once each");
                }
                runs.Add(new RunResult(comparison.Deployments[d].Scenario with { Seed = first.Seed }, merged));
            }
            return (null, null, null, ComparisonRunner.Assemble(comparison, runs), first.Text, folder);
        }
        if (first.Points is not null)
        {
            var (sweep, scenarios) = ScenarioLoader.ReadSweep(first.File, first.Text, overrides)
                ?? throw new ShardMergeException(firstPath, "holds points of a sweep, but its scenario has no sweep section");
            var points = parts.SelectMany(p => p.Part.Points ?? []).OrderBy(p => p.Point).ToList();
            if (!points.Select(p => p.Point).SequenceEqual(Enumerable.Range(0, scenarios.Count)))
            {
                throw new ShardMergeException(firstPath, $"the shards hold points other than 0 to {scenarios.Count - 1}");
            }
            var runs = points.Select(p => new RunResult(scenarios[p.Point] with { Seed = first.Seed }, p.Results)).ToList();
            return (null, new ParameterSweepResult(sweep, sweep.EveryPoint(), runs), null, null, first.Text, folder);
        }
        var replications = parts.SelectMany(p => p.Part.Results).OrderBy(r => r.Index).ToList();
        if (!replications.Select(r => r.Index).SequenceEqual(Enumerable.Range(0, first.Replications)))
        {
            throw new ShardMergeException(firstPath, $"the shards hold replications other than 0 to {first.Replications - 1}");
        }
        var scenario = ScenarioLoader.Parse(first.File, first.Text, overrides) with { Seed = first.Seed };
        return (new RunResult(scenario, replications), null, null, null, first.Text, folder);
    }
}

/// <summary>Shard files that cannot be merged: which file or folder, and why.</summary>
public sealed class ShardMergeException(string where, string problem) : Exception($"{where}: error: {problem}")
{
    /// <summary>The file or folder at fault.</summary>
    public string Where { get; } = where;
}
