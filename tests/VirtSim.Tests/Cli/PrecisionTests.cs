using System.Text.Json;

namespace VirtSim.Tests.Cli;

/// <summary>
/// Replications to a precision (Law's sequential procedure): the run stops once every named
/// metric's half-width is within γ/(1+γ) of its mean, runs the same replications at any
/// parallelism, and says so when the most replications allowed were not enough.
/// </summary>
public class PrecisionTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private string Scenario(string precision)
    {
        string file = Path.Combine(Work, "precise.yaml");
        File.WriteAllText(file, $"""
            name: precise
            seed: 3
            warmup: 5min
            duration: 30min
            station:
              servers: 1
              arrivals: {"{"}rate: 0.8/s{"}"}
              service: {"{"}distribution: exponential, mean: 1s{"}"}
            precision:
            {precision}
            """);
        return file;
    }

    private JsonElement Summary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Work, folder, "summary.json"))).RootElement;

    [Test]
    public void TheRunStopsOnceTheIntervalIsTightAndRunsTheSameReplicationsAtAnyParallelism()
    {
        string file = Scenario("  metrics: [response_time_mean, wait_probability]\n  relative: 5%\n  min: 4\n  max: 300");
        Assert.That(Virtsim("run", file, "--out", Path.Combine(Work, "serial"), "--parallelism", "1").Code, Is.Zero);
        var (code, _, errors) = Virtsim("run", file, "--out", Path.Combine(Work, "parallel"), "--parallelism", "4");
        Assert.That(code, Is.Zero, errors);
        Assert.That(File.ReadAllBytes(Path.Combine(Work, "parallel", "summary.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(Work, "serial", "summary.json"))));

        var summary = Summary("serial");
        int n = summary.GetProperty("replications").GetInt32();
        Assert.That(n, Is.InRange(5, 299), "more than the minimum (30 min of M/M/1 at 80% is noisy), fewer than the maximum");
        Assert.That(summary.GetProperty("precision").GetProperty("met").GetBoolean());
        double stop = 0.05 / 1.05;
        foreach (string metric in new[] { "response_time_mean", "wait_probability" })
        {
            var m = summary.GetProperty("metrics").GetProperty(metric);
            Assert.That(m.GetProperty("ci95_half_width").GetDouble(), Is.LessThanOrEqualTo(stop * m.GetProperty("mean").GetDouble()), metric);
        }
    }

    [Test]
    public void AnUnreachablePrecisionStopsAtTheMaximumAndSaysSo()
    {
        string file = Scenario("  metrics: [response_time_p99]\n  relative: 0.1%\n  min: 3\n  max: 6");
        var (code, output, errors) = Virtsim("run", file, "--out", Path.Combine(Work, "out"));
        Assert.That(code, Is.Zero, errors);
        var summary = Summary("out");
        Assert.That(summary.GetProperty("replications").GetInt32(), Is.EqualTo(6));
        Assert.That(summary.GetProperty("precision").GetProperty("met").GetBoolean(), Is.False);
        Assert.That(output, Does.Contain("response_time_p99 was asked for to ±0.1%"));
    }

    [TestCase("  metrics: [response_time_men]\n  relative: 2%", "this scenario measures no 'response_time_men'; did you mean 'response_time_mean'?")]
    [TestCase("  metrics: [response_time_mean]\n  relative: 200%", "expected a relative precision above 0 and below 100%")]
    [TestCase("  metrics: [response_time_mean]\n  relative: 2%\n  min: 10\n  max: 5", "expected max (5) to be at least min (10)")]
    public void AWrongTargetIsRefused(string precision, string message)
    {
        var (code, _, errors) = Virtsim("run", Scenario(precision), "--out", Path.Combine(Work, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(message));
    }

    [Test]
    public void AShardOfARunToAPrecisionIsRefusedWithTheReason()
    {
        var (code, _, errors) = Virtsim("run", Scenario("  metrics: [response_time_mean]\n  relative: 2%"), "--shard", "0/2", "--out", Path.Combine(Work, "p"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("one shard cannot judge alone; shard it with a fixed number (--replications N)"));
    }

    [Test]
    public void EachDeploymentOfAComparisonRunsToThePrecision()
    {
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        var (code, _, errors) = Virtsim("compare", file, "--set", "duration=4min", "--set", "warmup=1min",
            "--set", "precision={metrics: [workload.response_time_mean], relative: 5%, min: 3, max: 40}", "--out", Path.Combine(Work, "cmp"));
        Assert.That(code, Is.Zero, errors);
        foreach (string deployment in new[] { "vms", "containers", "functions" })
        {
            var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Work, "cmp", deployment, "summary.json"))).RootElement;
            Assert.That(summary.GetProperty("precision").GetProperty("met").GetBoolean(), deployment);
            var mean = summary.GetProperty("metrics").GetProperty("workload.response_time_mean");
            Assert.That(mean.GetProperty("ci95_half_width").GetDouble(), Is.LessThanOrEqualTo(0.05 / 1.05 * mean.GetProperty("mean").GetDouble()), deployment);
            Assert.That(summary.GetProperty("replications").GetInt32(), Is.InRange(3, 40), deployment);
        }
    }
}
