using System.Globalization;
using System.Text.Json;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// The trace for Perfetto: parsed as JSON, its slices nest on every thread, and they carry the
/// times of the CSV timelines written from the same replication (VM and pod phases, cold starts),
/// and the layer pulls add up to the bytes the run reports pulled.
/// </summary>
public class PerfettoTraceTests
{
    private sealed record Slice(string Name, string Category, int Pid, int Tid, double Ts, double Dur, double? Bytes);

    private static (ComparisonResult Result, List<Slice> Slices, Dictionary<(int, int), string> Threads, string Folder) Run()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 120, warmup: 30);
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 1, Timeline: true));
        var runs = result.Runs.Select((run, d) => new TraceWriter.Run(comparison.Deployments[d].Name, run.Replications[0], 150)).ToList();
        string folder = Path.Combine(Path.GetTempPath(), $"virtsim-trace-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "trace.json");
        TraceWriter.Write(runs, comparison.Name, path);
        for (int d = 0; d < result.Runs.Count; d++)
        {
            string into = Path.Combine(folder, comparison.Deployments[d].Name);
            Directory.CreateDirectory(into);
            ResultWriter.WriteInto(result.Runs[d], into);
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var slices = new List<Slice>();
        var threads = new Dictionary<(int, int), string>();
        foreach (var e in document.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            int pid = e.GetProperty("pid").GetInt32(), tid = e.GetProperty("tid").GetInt32();
            string name = e.GetProperty("name").GetString()!;
            if (e.GetProperty("ph").GetString() == "M")
            {
                if (name is "process_name" or "thread_name")
                {
                    threads[(pid, name == "process_name" ? 0 : tid)] = e.GetProperty("args").GetProperty("name").GetString()!;
                }
                continue;
            }
            Assert.That(e.GetProperty("ph").GetString(), Is.EqualTo("X"));
            double? bytes = e.TryGetProperty("args", out var args) ? args.GetProperty("bytes").GetDouble() : null;
            slices.Add(new Slice(name, e.GetProperty("cat").GetString()!, pid, tid, e.GetProperty("ts").GetDouble(), e.GetProperty("dur").GetDouble(), bytes));
        }
        return (result, slices, threads, folder);
    }

    private static List<string[]> Csv(string path) =>
        File.ReadAllLines(path).Skip(1).Select(line => line.Split(',')).ToList();

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    [Test]
    public void SlicesNestOnEveryThreadAndMatchTheCsvTimelines()
    {
        var (result, slices, threads, folder) = Run();
        try
        {
            // Nesting: on each thread, ordered by start (longest first), a slice lies inside the
            // open one or starts after it ends, never across its end.
            foreach (var thread in slices.GroupBy(s => (s.Pid, s.Tid)))
            {
                Assert.That(threads.ContainsKey((thread.Key.Pid, thread.Key.Tid)), $"thread {thread.Key} has a name");
                var open = new Stack<Slice>();
                foreach (var slice in thread.OrderBy(s => s.Ts).ThenByDescending(s => s.Dur))
                {
                    while (open.Count > 0 && slice.Ts >= open.Peek().Ts + open.Peek().Dur - 1e-6)
                    {
                        open.Pop();
                    }
                    if (open.Count > 0)
                    {
                        var parent = open.Peek();
                        Assert.That(slice.Ts + slice.Dur, Is.LessThanOrEqualTo(parent.Ts + parent.Dur + 1e-6),
                            $"{threads[(slice.Pid, slice.Tid)]}: {slice.Name} at {slice.Ts} µs crosses the end of {parent.Name}");
                    }
                    open.Push(slice);
                }
            }

            // VM and pod phases: one slice per CSV row, at its start, lasting to its end.
            int checkedRows = 0;
            foreach (var (file, category) in new[] { ("vm_timeline.csv", "VM"), ("pod_timeline.csv", "pod") })
            {
                foreach (string csv in Directory.GetFiles(folder, file, SearchOption.AllDirectories))
                {
                    foreach (var row in Csv(csv))
                    {
                        double start = double.Parse(row[4], CultureInfo.InvariantCulture) * 1e6;
                        string phase = TraceWriter.Words(row[3]);
                        var match = slices.Where(s => s.Category == category && s.Name == phase && Near(s.Ts, start)
                            && threads[(s.Pid, s.Tid)] == $"{category} {row[1]} #{row[0]}").ToList();
                        Assert.That(match, Has.Count.EqualTo(1), $"{csv}: {string.Join(",", row)}");
                        if (row[5].Length > 0)
                        {
                            double end = double.Parse(row[5], CultureInfo.InvariantCulture) * 1e6;
                            Assert.That(Near(match[0].Ts + match[0].Dur, end), $"{csv}: {string.Join(",", row)} ends at {end}, the slice at {match[0].Ts + match[0].Dur}");
                        }
                        checkedRows++;
                    }
                }
            }
            Assert.That(checkedRows, Is.GreaterThan(20), "the VM and pod timelines were compared");

            // Cold starts: one slice each, from the request to the instance being ready.
            var coldCsv = Directory.GetFiles(folder, "cold_starts.csv", SearchOption.AllDirectories).SelectMany(Csv).ToList();
            var coldSlices = slices.Where(s => s.Name == "cold start").ToList();
            Assert.That(coldCsv, Is.Not.Empty);
            Assert.That(coldSlices, Has.Count.EqualTo(coldCsv.Count));
            foreach (var row in coldCsv)
            {
                double requested = double.Parse(row[1], CultureInfo.InvariantCulture) * 1e6;
                double ready = double.Parse(row[3], CultureInfo.InvariantCulture) * 1e6;
                Assert.That(coldSlices.Any(s => Near(s.Ts, requested) && Near(s.Ts + s.Dur, ready)
                    && threads[(s.Pid, s.Tid)].StartsWith($"cold starts of {row[0]}", StringComparison.Ordinal)), string.Join(",", row));
            }

            // Layer pulls: the downloads carry every layer byte the containers' nodes pulled.
            double pulled = result.Runs.SelectMany(r => r.Replications[0].Measurements).Where(m => m.Name == "layer_bytes_pulled").Sum(m => m.Value);
            double downloaded = slices.Where(s => s.Name == "download").Sum(s => s.Bytes!.Value);
            Assert.That(pulled, Is.GreaterThan(0));
            Assert.That(downloaded, Is.EqualTo(pulled).Within(1e-9 * pulled));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AFileThatIsNotAVirtSimTraceIsNotReplaced()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"virtsim-trace-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string mine = Path.Combine(folder, "notes.json");
            File.WriteAllText(mine, "{\"my\": \"notes\"}");
            Assert.That(TraceWriter.Problem(mine, force: false), Does.Contain("not a trace VirtSim wrote"));
            Assert.That(TraceWriter.Problem(mine, force: true), Is.Null);
            Assert.That(TraceWriter.Problem(folder, force: false), Does.Contain("is a folder"));
            Assert.That(TraceWriter.Problem(Path.Combine(folder, "missing", "t.json"), force: false), Does.Contain("does not exist"));
            string trace = Path.Combine(folder, "trace.json");
            TraceWriter.Write([], "empty", trace);
            Assert.That(TraceWriter.Problem(trace, force: false), Is.Null, "a trace VirtSim wrote may be replaced");
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "notes.json", "trace.json" }), "no partial file left");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
