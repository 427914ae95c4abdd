using System.Globalization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Scenarios;

/// <summary>Reads and validates scenario files; every problem becomes a <see cref="ScenarioException"/>.</summary>
public static class ScenarioLoader
{
    private static readonly Dictionary<string, QueueDiscipline> Disciplines = new(StringComparer.Ordinal)
    {
        ["fcfs"] = QueueDiscipline.FirstComeFirstServed,
        ["ps"] = QueueDiscipline.ProcessorSharing,
    };

    /// <summary>Loads the scenario in <paramref name="path"/>, with <paramref name="overrides"/> (<c>--set</c>) put in.</summary>
    public static Scenario LoadFile(string path, IReadOnlyList<Override>? overrides = null) => Parse(path, ReadText(path), overrides);

    /// <summary>
    /// The <c>sweep:</c> section of scenario <paramref name="text"/> with each point's scenario (the
    /// file with that point's values set after <paramref name="overrides"/>); every point is read
    /// before anything runs, so a value no point can take is an error now. Null when the file has no sweep.
    /// </summary>
    public static (ParameterSweep Sweep, IReadOnlyList<Scenario> Points)? ReadSweep(string file, string text, IReadOnlyList<Override>? overrides = null)
    {
        var rootValue = YamlSection.LoadRoot(file, text, overrides);
        if (IsComparison(rootValue) || rootValue.Node is not YamlDotNet.RepresentationModel.YamlMappingNode mapping
            || !mapping.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("sweep"), out var node))
        {
            return null;
        }
        var sweep = ParameterSweep.Read(new YamlValue(file, "sweep", node));
        return (sweep, sweep.ReadPoints(file, overrides, point => Parse(file, text, point)));
    }

    /// <summary>Whether the file's root has a <c>compare</c> section: a comparison, not a scenario.</summary>
    internal static bool IsComparison(YamlValue root) =>
        root.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
        && mapping.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Any(k => k.Value == "compare");

    /// <summary>Whether <paramref name="path"/> holds a comparison rather than a scenario (an unreadable file is neither).</summary>
    public static bool IsComparisonFile(string path)
    {
        try
        {
            return IsComparison(YamlSection.LoadRoot(path, ReadText(path)));
        }
        catch (ScenarioException)
        {
            return false;
        }
    }

    /// <summary>The largest scenario file read: ample for any hand-written or generated scenario, and a bound on what a wrong file costs.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The text of a scenario file, or a <see cref="ScenarioException"/> saying why it cannot be
    /// read: it must be a regular file of at most <see cref="MaxFileBytes"/>, in UTF-8, and hold no
    /// control characters but tabs and line breaks.
    /// </summary>
    public static string ReadText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (FileKind.InputProblem(path, MaxFileBytes, "a scenario YAML file") is { } problem)
        {
            throw new ScenarioException(path, 0, 0, problem);
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ScenarioException(path, 0, 0, "no such file; expected a scenario YAML file, e.g. scenarios/examples/mm1.yaml");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, 0, 0, $"cannot read the file: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
        }
        return Decode(path, bytes);
    }

    /// <summary>
    /// <paramref name="bytes"/> as UTF-8 text (a byte-order mark is skipped); bytes that are not
    /// UTF-8 (Latin-1, a cut sequence) and control characters are refused at their line and column.
    /// </summary>
    public static string Decode(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            var (line, column) = Position(chars.AsSpan(0, written));
            throw new ScenarioException(path, line, column,
                $"byte 0x{bytes[read]:X2} is not UTF-8; save the file as UTF-8 (it may be Latin-1 or Windows-1252)");
        }
        var text = new string(chars, 0, written);
        int bad = text.AsSpan().IndexOfAnyExcept(Printable());
        if (bad >= 0)
        {
            var (line, column) = Position(text.AsSpan(0, bad));
            throw new ScenarioException(path, line, column,
                $"a control character ({Messages.Escape(text[bad].ToString())}); a scenario holds text, tabs and line breaks only");
        }
        return text;
    }

    private static System.Buffers.SearchValues<char>? _printable;

    /// <summary>Every character but the unsafe ones (control characters other than tab and line breaks, bidirectional overrides).</summary>
    private static System.Buffers.SearchValues<char> Printable() => _printable ??= System.Buffers.SearchValues.Create(
        Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => c is '\t' or '\n' or '\r' || !Messages.IsUnsafe(c)).ToArray());

    private static (int Line, int Column) Position(ReadOnlySpan<char> before)
    {
        int line = before.Count('\n') + 1;
        int column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    /// <summary>The header every scenario shares (name, seed, replications, warm-up, duration), as a scenario with no model yet.</summary>
    internal static Scenario ReadHeader(YamlSection root, string file) => new(
        root.Optional("name")?.AsText() ?? System.IO.Path.GetFileNameWithoutExtension(file),
        root.Optional("description")?.AsText() ?? "",
        root.Optional("seed")?.AsSeed() ?? 1,
        (int)(root.Optional("replications")?.AsInteger(1, 1_000_000) ?? 10),
        root.Optional("warmup")?.AsDuration(allowZero: true) ?? 0,
        root.Required("duration", "1h").AsDuration(allowZero: false),
        null);

    /// <summary>Parses scenario <paramref name="text"/>, naming <paramref name="file"/> in messages.</summary>
    public static Scenario Parse(string file, string text, IReadOnlyList<Override>? overrides = null)
    {
        var rootValue = YamlSection.LoadRoot(file, text, overrides);
        var scenario = Map(rootValue, file);
        if (rootValue.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
            && mapping.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("precision"), out var precision))
        {
            scenario = scenario with { Precision = PrecisionTarget.Read(new YamlValue(file, "precision", precision)) };
        }
        // The reader maps; the specs say what cannot be simulated, at the line that says it.
        var errors = scenario.Station?.Validate() ?? scenario.Datacenter?.Validate() ?? [];
        if (rootValue.FirstError(errors.Concat(AfterTheEnd(scenario))) is { } error)
        {
            throw error;
        }
        return scenario;
    }

    /// <summary>What a scenario asks to start after its run has ended: it would start nothing and say nothing.</summary>
    private static IEnumerable<VirtSim.Datacenter.Validation.SpecError> AfterTheEnd(Scenario scenario)
    {
        double end = scenario.Warmup + scenario.Duration;
        var pods = scenario.Datacenter?.Pods ?? [];
        for (int i = 0; i < pods.Count; i++)
        {
            if (pods[i].StartAt >= end)
            {
                yield return new($"pods[{i}].start_at", string.Create(CultureInfo.InvariantCulture,
                    $"the run ends at {end:G6} s (warm-up and duration), before the group's first pod is asked for at {pods[i].StartAt:G6} s; expected a start within the run"));
            }
        }
    }

    private static Scenario Map(YamlValue rootValue, string file)
    {
        if (IsComparison(rootValue))
        {
            throw rootValue.Error("this file compares deployments (it has a compare section): run it with virtsim compare");
        }
        if (rootValue.Node is YamlDotNet.RepresentationModel.YamlMappingNode top
            && top.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().OrderBy(k => k.Value == "deployments" ? 0 : 1)
                .FirstOrDefault(k => k.Value is "deployments" or "workload") is { } comparisonKey)
        {
            // A comparison's own keys in a file without compare: say what the file is missing, not that 'workload' is unknown.
            throw Override.At(file, comparisonKey, comparisonKey.Value == "deployments"
                ? "unknown key 'deployments': a comparison lists its deployments under compare: (compare: [{name: vms, vm: {...}}, ...]), and runs with virtsim compare"
                : "workload belongs to a comparison, which also lists its deployments under compare: (compare: [{name: vms, vm: {...}}, ...]); a scenario declares services or functions instead");
        }
        var root = rootValue.AsSection("name", "description", "seed", "replications", "warmup", "duration", "station",
            "datacenter", "images", "vms", "services", "batches", "container_images", "pods", "functions", "platform", "sweep", "precision");
        var (name, description, seed, replications, warmup, duration, _, _, _) = ReadHeader(root, file);
        var stationValue = root.Optional("station");
        var datacenterValue = root.Optional("datacenter");
        if (stationValue is not null && datacenterValue is not null)
        {
            throw datacenterValue.Error("expected either station or datacenter, not both");
        }
        if (root.Optional("functions") is null && root.Optional("platform") is { } lonePlatform)
        {
            throw lonePlatform.Error("a platform needs functions to run");
        }
        if (datacenterValue is not null)
        {
            var datacenter = DatacenterReader.Read(datacenterValue, root.Optional("images"), root.Optional("vms"),
                root.Optional("services"), root.Optional("batches"), root.Optional("container_images"), root.Optional("pods"),
                out var context);
            var onDatacenter = root.Optional("functions") is { } value
                ? FunctionReader.Read(value, root.Optional("platform"), context)
                : null;
            return new Scenario(name, description, seed, replications, warmup, duration, null, datacenter with { Functions = onDatacenter });
        }
        var functions = root.Optional("functions") is { } functionsValue
            ? FunctionReader.Read(functionsValue, root.Optional("platform"), null)
            : null;
        if (functions is not null && stationValue is null)
        {
            // Functions alone (the analytical setting): a datacenter with no hardware of its own.
            var bare = new VirtSim.Datacenter.DatacenterSpec([], new VirtSim.Datacenter.Network.TopologySpec.Star(
                new(1e9, 0, 1), new(1e9, 0, 1), new(1e9, 0, 1)), VirtSim.Datacenter.Placement.PlacementRule.FirstFit,
                VirtSim.Datacenter.AdmissionPolicy.Queue, [], [], [], Functions: functions);
            return new Scenario(name, description, seed, replications, warmup, duration, null, bare);
        }
        if (stationValue is null)
        {
            throw rootValue.Error("expected a model to simulate: a station (a queueing station), a datacenter, or functions");
        }
        foreach (string key in new[] { "images", "vms", "services", "batches", "container_images", "pods", "functions", "platform" })
        {
            if (root.Optional(key) is { } stray)
            {
                throw stray.Error($"{key} belongs to a datacenter scenario; this one simulates a station");
            }
        }
        return new Scenario(name, description, seed, replications, warmup, duration, ReadStation(stationValue));
    }

    private static StationSpec ReadStation(YamlValue value)
    {
        var station = value.AsSection("servers", "discipline", "capacity", "arrivals", "service");
        var serversValue = station.Optional("servers");
        int servers = (int)(serversValue?.AsInteger(1, 1_000_000) ?? 1);
        var discipline = station.Optional("discipline")?.AsChoice(Disciplines) ?? QueueDiscipline.FirstComeFirstServed;
        int? capacity = null;
        if (station.Optional("capacity") is { } capacityValue)
        {
            capacity = (int)capacityValue.AsInteger(1, int.MaxValue);
        }
        var interarrival = ReadArrivals(station.Required("arrivals", "{rate: 0.8/s}"));
        var service = station.Required("service", "{distribution: exponential, mean: 1s}").AsDurationDistribution();
        return new StationSpec(servers, discipline, capacity, interarrival, service);
    }

    internal static Distribution ReadArrivals(YamlValue value, params string[] alsoAllowed)
    {
        var arrivals = value.AsSection(["rate", "interarrival", .. alsoAllowed]);
        var rate = arrivals.Optional("rate");
        var interarrival = arrivals.Optional("interarrival");
        return (rate, interarrival) switch
        {
            ({ } r, null) => new Distribution.Exponential(1 / r.AsRate()),
            (null, { } i) => i.AsDurationDistribution(),
            (null, null) => throw value.Error("expected either rate (Poisson arrivals, e.g. rate: 0.8/s) or interarrival (a distribution)"),
            _ => throw interarrival!.Error("expected either rate or interarrival, not both"),
        };
    }
}
