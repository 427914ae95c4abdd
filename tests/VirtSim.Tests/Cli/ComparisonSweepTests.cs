using System.Globalization;

namespace VirtSim.Tests.Cli;

/// <summary>
/// A comparison swept over any value (<c>sweep: {parameters: ...}</c> in a comparison file): each
/// point's rows are those of a plain comparison with the point's values set, whether points run
/// side by side (one core each) or one after another.
/// </summary>
public class ComparisonSweepTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private static readonly string[] Short = ["--replications", "1", "--set", "duration=4min", "--set", "warmup=1min"];

    [Test]
    public void APointsRowsAreThoseOfAPlainComparisonWithItsValuesSet()
    {
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        string sweep = "sweep={parameters: [{path: workload.arrivals.rate, values: [10/s, 30/s, 60/s]}], metrics: [latency p99]}";
        var side = Virtsim(["compare", file, .. Short, "--set", sweep, "--out", Path.Combine(Work, "side")]);
        Assert.That(side.Code, Is.Zero, side.Err);
        Assert.That(side.Out, Does.Contain("sweep of 3 points"));
        var serial = Virtsim(["compare", file, .. Short, "--set", sweep, "--parallelism", "1", "--out", Path.Combine(Work, "serial")]);
        Assert.That(serial.Code, Is.Zero, serial.Err);
        Assert.That(File.ReadAllBytes(Path.Combine(Work, "side", "sweep.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(Work, "serial", "sweep.csv"))),
            "points side by side or in turn: the same bytes");

        // The point at 30/s against a plain comparison at 30/s: its comparison.csv rows, value for value.
        var plain = Virtsim(["compare", file, .. Short, "--set", "workload.arrivals.rate=30/s", "--out", Path.Combine(Work, "plain")]);
        Assert.That(plain.Code, Is.Zero, plain.Err);
        var expected = File.ReadAllLines(Path.Combine(Work, "plain", "comparison.csv")).Skip(1).ToList();
        var actual = File.ReadAllLines(Path.Combine(Work, "side", "sweep.csv")).Skip(1)
            .Where(l => l.StartsWith("1,30/s,", StringComparison.Ordinal)).Select(l => l["1,30/s,".Length..]).ToList();
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(File.Exists(Path.Combine(Work, "side", "sweep-latency_p99-vs-workload_arrivals_rate.png")));
        string report = File.ReadAllText(Path.Combine(Work, "side", "report.html"));
        Assert.That(report, Does.Contain("<h2>latency p99</h2>").And.Contain("<th>functions (functions)</th>").And.Contain("<td>60/s</td>"));
    }

    [Test]
    public void AnUnknownMeasureIsRefusedWithASuggestion()
    {
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        var (code, _, errors) = Virtsim(["compare", file, .. Short, "--set", "sweep={parameters: [{path: workload.arrivals.rate, values: [10/s, 20/s]}], metrics: [cost per hur]}",
            "--out", Path.Combine(Work, "o")]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("a comparison has no row 'cost per hur'; did you mean 'cost per hour'?"));
    }

    [Test]
    public void AComparisonsSweepShardedByPointMergesToTheBytesOfOneProcess()
    {
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        string sweep = "sweep={parameters: [{path: workload.arrivals.rate, values: [10/s, 30/s, 60/s]}]}";
        string parts = Path.Combine(Work, "parts");
        for (int i = 0; i < 2; i++)
        {
            var shard = Virtsim(["compare", file, .. Short, "--set", sweep, "--shard", $"{i}/2", "--out", parts]);
            Assert.That(shard.Code, Is.Zero, shard.Err);
        }
        var merged = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(merged.Code, Is.Zero, merged.Err);
        var single = Virtsim(["compare", file, .. Short, "--set", sweep, "--out", Path.Combine(Work, "single")]);
        Assert.That(single.Code, Is.Zero, single.Err);
        var names = Directory.GetFiles(Path.Combine(Work, "single")).Select(Path.GetFileName).ToList();
        Assert.That(names, Does.Contain("sweep.csv"));
        Assert.That(Directory.GetFiles(Path.Combine(Work, "merged")).Select(Path.GetFileName), Is.EquivalentTo(names));
        foreach (string? name in names)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Work, "merged", name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Work, "single", name!))), name);
        }

    }

    [Test]
    public void OneComparisonShardedByReplicationMergesToTheBytesOfOneProcess()
    {
        // Every file: the report with its plots (replication 0's timelines travel in shard 0's part),
        // the tables, and each deployment's results and timelines.
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        string[] options = ["--replications", "3", "--set", "duration=4min", "--set", "warmup=1min"];
        string parts = Path.Combine(Work, "parts");
        for (int i = 0; i < 2; i++)
        {
            var shard = Virtsim(["compare", file, .. options, "--shard", $"{i}/2", "--out", parts]);
            Assert.That(shard.Code, Is.Zero, shard.Err);
        }
        var merged = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(merged.Code, Is.Zero, merged.Err);
        var single = Virtsim(["compare", file, .. options, "--out", Path.Combine(Work, "single")]);
        Assert.That(single.Code, Is.Zero, single.Err);
        var expected = Directory.GetFiles(Path.Combine(Work, "single"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Path.Combine(Work, "single"), f), File.ReadAllBytes);
        Assert.That(expected.Keys, Does.Contain("report.html").And.Contain(Path.Combine("functions", "cold_starts.csv")));
        foreach (var (name, bytes) in expected)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Work, "merged", name)), Is.EqualTo(bytes), name);
        }
    }
}
