using System.Text;
using System.Text.Json;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Writes a replication's timeline as a trace in the Trace Event Format (the JSON that Perfetto's
/// UI and chrome://tracing open): a process per physical host, a thread per VM and per pod on it
/// with its phases nested under its whole life, the layers each node pulled (waiting for a
/// download slot, download, waiting to unpack, unpack), and a process of functions with their
/// cold starts (container start, then initialisation). Concurrent pulls and cold starts take
/// lanes, so that each thread's slices nest. Times are in microseconds of simulated time.
/// </summary>
/// <remarks>
/// The format: Google's "Trace Event Format" document (complete events, <c>ph: "X"</c>, with
/// <c>ts</c> and <c>dur</c>; metadata events, <c>ph: "M"</c>, naming processes and threads).
/// The file is written next to its place and moved there when complete.
/// </remarks>
public static class TraceWriter
{
    /// <summary>The marker in the first line of every trace VirtSim writes; a file without it is not replaced.</summary>
    public const string Generator = "VirtSim";

    /// <summary>One run's first replication and when it ended (open phases last until then).</summary>
    /// <param name="Label">The deployment's name in a comparison (prefixes its processes); null for a single run.</param>
    /// <param name="Replication">A replication run with its timeline.</param>
    /// <param name="End">The simulated time at which the run ended, in seconds.</param>
    public sealed record Run(string? Label, ReplicationResult Replication, double End);

    /// <summary>
    /// Says what stops a trace from being written at <paramref name="path"/>, or null when it can be:
    /// its folder must exist, and a file already there must be a trace VirtSim wrote (or <paramref name="force"/>).
    /// </summary>
    public static string? Problem(string path, bool force)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return "is a folder; --trace takes a file name, such as trace.json";
        }
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            return $"its folder {folder} does not exist";
        }
        if (FileKind.Of(full) is not (FileKind.Kind.None or FileKind.Kind.Regular) and var kind)
        {
            return $"is {FileKind.Describe(kind)}; --trace writes only regular files (even with --force), so name a new file such as trace.json";
        }
        if (File.Exists(full) && !force && !WrittenByVirtSim(full))
        {
            return "exists and is not a trace VirtSim wrote; choose another name, or --force to replace it";
        }
        try
        {
            // Found now, not after the results folder was written: the folder must take the trace's temporary file.
            using var probe = new FileStream(Temporary(full), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be written: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}";
        }
        return null;
    }

    private static bool WrittenByVirtSim(string path)
    {
        var buffer = new byte[200];
        using var stream = File.OpenRead(path);
        int read = stream.Read(buffer, 0, buffer.Length);
        return Encoding.UTF8.GetString(buffer, 0, read).Contains($"\"generator\":\"{Generator}", StringComparison.Ordinal);
    }

    private static string Temporary(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.partial");

    /// <summary>Writes the trace of <paramref name="runs"/> to <paramref name="path"/>, whole or not at all.</summary>
    public static void Write(IReadOnlyList<Run> runs, string scenario, string path)
    {
        ArgumentNullException.ThrowIfNull(runs);
        string full = Path.GetFullPath(path);
        string temporary = Temporary(full);
        try
        {
            using (var stream = File.Create(temporary))
            {
                WriteTo(runs, scenario, stream);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the trace of <paramref name="runs"/> into <paramref name="stream"/>.</summary>
    public static void WriteTo(IReadOnlyList<Run> runs, string scenario, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartObject("otherData");
        json.WriteString("generator", $"{Generator} {VirtSimVersion.Version}");
        if (VirtSimVersion.Commit is { } commit)
        {
            json.WriteString("commit", commit);
        }
        json.WriteString("scenario", scenario);
        json.WriteString("time", "simulated; 1 us of trace = 1 us simulated");
        json.WriteEndObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        var tracks = new Tracks(json);
        foreach (var run in runs)
        {
            string prefix = run.Label is null ? "" : $"{run.Label}: ";
            var replication = run.Replication;
            if (replication.Timeline is { } vms)
            {
                foreach (var life in Lives(vms.Select(r => (r.Vm, r.Name, r.Host, r.Phase, r.Time)), run.End))
                {
                    tracks.Life(prefix, "VM", life);
                }
            }
            if (replication.PodTimeline is { } pods)
            {
                foreach (var life in Lives(pods.Select(r => (r.Pod, r.Name, r.Host, r.Phase, r.Time)), run.End))
                {
                    tracks.Life(prefix, "pod", life);
                }
            }
            if (replication.LayerPulls is { } pulls)
            {
                tracks.Pulls(prefix, pulls);
            }
            if (replication.ColdStarts is { } coldStarts)
            {
                tracks.ColdStarts(prefix, coldStarts);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A VM's or pod's phases, in order, each with its end; the host it ran on (null if never placed).</summary>
    private sealed record Life(int Id, string Name, string? Host, List<(string Phase, double Start, double End)> Phases);

    private static List<Life> Lives(IEnumerable<(int Id, string Name, string? Host, string Phase, double Time)> rows, double end)
    {
        var lives = new List<Life>();
        var byId = new Dictionary<int, int>();
        foreach (var row in rows)
        {
            if (!byId.TryGetValue(row.Id, out int index))
            {
                index = lives.Count;
                byId.Add(row.Id, index);
                lives.Add(new Life(row.Id, row.Name, row.Host, []));
            }
            var life = lives[index];
            if (life.Host is null && row.Host is not null)
            {
                lives[index] = life = life with { Host = row.Host };
            }
            if (life.Phases.Count > 0)
            {
                var last = life.Phases[^1];
                life.Phases[^1] = (last.Phase, last.Start, row.Time);
            }
            life.Phases.Add((row.Phase, row.Time, end));
        }
        foreach (var life in lives)
        {
            // A final state (stopped, destroyed, rejected) is an instant; any other lasts until the run's end.
            var last = life.Phases[^1];
            bool final = last.Phase is nameof(PodPhase.Stopped) or nameof(Datacenter.Virtualization.VmPhase.Destroyed)
                or nameof(Datacenter.Virtualization.VmPhase.Rejected);
            life.Phases[^1] = (last.Phase, last.Start, final ? last.Start : Math.Max(last.Start, end));
        }
        return lives;
    }

    /// <summary>Code names in words: <c>TransferringImage</c> becomes "transferring image".</summary>
    internal static string Words(string phase)
    {
        var words = new StringBuilder(phase.Length + 4);
        for (int i = 0; i < phase.Length; i++)
        {
            char c = phase[i];
            if (char.IsUpper(c) && i > 0)
            {
                words.Append(' ');
            }
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    /// <summary>Hands out process and thread numbers and writes the events.</summary>
    private sealed class Tracks(Utf8JsonWriter json)
    {
        private readonly Dictionary<string, int> _processes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _threads = new(StringComparer.Ordinal);

        public void Life(string prefix, string kind, Life life)
        {
            int pid = Process(prefix + (life.Host is { } host ? $"host {host}" : "not placed"));
            int tid = Thread(pid, $"{kind} {life.Name} #{life.Id}");
            double start = life.Phases[0].Start, end = life.Phases[^1].End;
            Slice(pid, tid, $"{kind} {life.Name}", kind, start, end);
            foreach (var (phase, from, to) in life.Phases)
            {
                Slice(pid, tid, Words(phase), kind, from, to);
            }
        }

        public void Pulls(string prefix, IReadOnlyList<LayerPull> pulls)
        {
            var lanes = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            foreach (var pull in pulls.OrderBy(p => p.Requested).ThenBy(p => p.Engine, StringComparer.Ordinal)
                .ThenBy(p => p.Digest, StringComparer.Ordinal))
            {
                int pid = Process($"{prefix}host {pull.Host}");
                int lane = Lane(lanes, pull.Engine, pull.Requested, pull.Unpacked);
                int tid = Thread(pid, $"layer pulls on {pull.Engine}{(lane > 0 ? $" ({lane + 1})" : "")}");
                string digest = pull.Digest.Length > 19 ? pull.Digest[..19] : pull.Digest;
                Slice(pid, tid, $"pull {digest}", "layer", pull.Requested, pull.Unpacked, pull.Bytes);
                Slice(pid, tid, "waiting for a download slot", "layer", pull.Requested, pull.DownloadStarted);
                Slice(pid, tid, "download", "layer", pull.DownloadStarted, pull.Downloaded, pull.Bytes);
                Slice(pid, tid, "waiting to unpack", "layer", pull.Downloaded, pull.UnpackStarted);
                Slice(pid, tid, "unpack", "layer", pull.UnpackStarted, pull.Unpacked, pull.Bytes);
            }
        }

        public void ColdStarts(string prefix, IReadOnlyList<ColdStart> starts)
        {
            var lanes = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            int pid = -1;
            foreach (var start in starts.OrderBy(s => s.Requested).ThenBy(s => s.Function, StringComparer.Ordinal))
            {
                pid = pid < 0 ? Process($"{prefix}functions") : pid;
                int lane = Lane(lanes, start.Function, start.Requested, start.Ready);
                int tid = Thread(pid, $"cold starts of {start.Function}{(lane > 0 ? $" ({lane + 1})" : "")}");
                Slice(pid, tid, "cold start", "function", start.Requested, start.Ready);
                Slice(pid, tid, "container start", "function", start.Requested, start.ContainerRunning);
                Slice(pid, tid, "initialisation", "function", start.ContainerRunning, start.Ready);
            }
        }

        /// <summary>The first lane of <paramref name="owner"/> free at <paramref name="start"/>; it is busy until <paramref name="end"/>.</summary>
        private static int Lane(Dictionary<string, List<double>> lanes, string owner, double start, double end)
        {
            if (!lanes.TryGetValue(owner, out var busyUntil))
            {
                lanes.Add(owner, busyUntil = []);
            }
            int lane = busyUntil.FindIndex(until => until <= start);
            if (lane < 0)
            {
                lane = busyUntil.Count;
                busyUntil.Add(end);
            }
            busyUntil[lane] = end;
            return lane;
        }

        private int Process(string name)
        {
            if (_processes.TryGetValue(name, out int pid))
            {
                return pid;
            }
            pid = _processes.Count + 1;
            _processes.Add(name, pid);
            Metadata("process_name", pid, 0, name);
            Metadata("process_sort_index", pid, 0, null, pid);
            return pid;
        }

        private int Thread(int pid, string name)
        {
            // Thread numbers in order of first appearance, over the whole trace.
            string key = $"{pid}\n{name}";
            if (!_threads.TryGetValue(key, out int tid))
            {
                tid = _threads.Count + 1;
                _threads.Add(key, tid);
                Metadata("thread_name", pid, tid, name);
                Metadata("thread_sort_index", pid, tid, null, tid);
            }
            return tid;
        }

        private void Metadata(string what, int pid, int tid, string? name, int? sortIndex = null)
        {
            json.WriteStartObject();
            json.WriteString("ph", "M");
            json.WriteString("name", what);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", tid);
            json.WriteStartObject("args");
            if (name is not null)
            {
                json.WriteString("name", name);
            }
            else
            {
                json.WriteNumber("sort_index", sortIndex!.Value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private void Slice(int pid, int tid, string name, string category, double start, double end, double? bytes = null)
        {
            json.WriteStartObject();
            json.WriteString("ph", "X");
            json.WriteString("name", name);
            json.WriteString("cat", category);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", tid);
            json.WriteNumber("ts", start * 1e6);
            json.WriteNumber("dur", Math.Max(0, end - start) * 1e6);
            if (bytes is { } size)
            {
                json.WriteStartObject("args");
                json.WriteNumber("bytes", size);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
    }
}
