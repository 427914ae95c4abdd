using System.Text.Json;
using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Experiments;

public class StabilityTests
{
    private static Scenario Mm1 => ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "mm1.yaml"));

    private static Scenario Mm1At(double rate) => Mm1 with
    {
        Replications = 3,
        Duration = 3600,
        Station = Mm1.Station! with { Interarrival = new Distribution.Exponential(1 / rate) },
    };

    [Test]
    public void AStationOfferedMoreThanItServesIsWarnedAbout()
    {
        // λ = 1.2/s, E[S] = 1 s, one server: ρ = 1.2, a queue that grows for as long as the run lasts.
        var result = ExperimentRunner.Run(Mm1At(1.2));
        Assert.That(result.Warnings, Has.Count.EqualTo(1));
        Assert.That(result.Warnings[0], Does.Contain("offered a load of 1.2").And.Contain("not steady-state values"));
    }

    [Test]
    public void AStableStationIsNot()
    {
        Assert.That(ExperimentRunner.Run(Mm1At(0.8)).Warnings, Is.Empty);
    }

    [Test]
    public void AServiceThatEndsWithAGrowingBacklogIsWarnedAboutAndOneThatKeepsUpIsNot()
    {
        // The web API's containers: four replicas of one core for 25 ms requests serve at most
        // 160 requests/s; at 40/s they keep up, at 400/s more than half the requests are left.
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 300, warmup: 60);
        var containers = comparison.Deployments.Single(d => d.Kind == ComparisonReader.Containers).Scenario with { Replications = 2 };
        Assert.That(ExperimentRunner.Run(containers).Warnings, Is.Empty);
        var overloaded = ExperimentRunner.Run(SweepRunner.AtRate(containers, 400));
        Assert.That(overloaded.Warnings, Has.Count.EqualTo(1));
        Assert.That(overloaded.Warnings[0], Does.StartWith("service 'workload' ended with a growing backlog"));
    }

    [Test]
    public void TheWarningReachesSummaryJsonAndTheTerminal()
    {
        string dir = Path.Combine(Path.GetTempPath(), "virtsim-unstable-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(Path.GetTempPath(), $"unstable-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(Repository.Examples, "mm1.yaml")).Replace("rate: 0.8/s", "rate: 1.2/s", StringComparison.Ordinal));
        try
        {
            var (code, output, errors) = VirtSim.Tests.Cli.Virtsim.Run("run", file, "--replications", "2", "--out", dir);
            Assert.That(code, Is.Zero, errors);
            Assert.That(output, Does.Contain("warning: the station is offered a load of 1.2"));
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var warnings = summary.RootElement.GetProperty("warnings");
            Assert.That(warnings.GetArrayLength(), Is.EqualTo(1));
            Assert.That(warnings[0].GetString(), Does.Contain("at or above its capacity"));
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Test]
    public void AnIntervalThatReachesBelowZeroIsClippedWithANote()
    {
        // Three replications of a heavy-tailed quantity: 0.01, 0.01 and 5 s. Mean 1.67 s; the t
        // interval's half-width, t(0.975, 2) = 4.303 times 2.88/√3, is 7.16 s: it reaches to −5.5 s.
        double[] values = [0.01, 0.01, 5];
        var replications = values.Select((v, i) => new ReplicationResult(i, (ulong)i, [new Measurement("response_time_mean", "s", v)], 1)).ToList();
        var result = new RunResult(Mm1, replications);
        Assert.That(result.Summary[0].Interval.Low, Is.LessThan(-5));
        string dir = Path.Combine(Path.GetTempPath(), "virtsim-clip-" + Guid.NewGuid().ToString("N"));
        try
        {
            ResultWriter.Write(result, dir);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var metric = summary.RootElement.GetProperty("metrics").GetProperty("response_time_mean");
            Assert.That(metric.GetProperty("ci95_low").GetDouble(), Is.Zero);
            Assert.That(metric.GetProperty("note").GetString(), Does.Contain("clipped at 0"));
            Assert.That(metric.GetProperty("ci95_high").GetDouble(), Is.EqualTo(result.Summary[0].Interval.High));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void AFunctionThatCannotKeepUpIsWarnedAboutAndOneThatDoesIsNot()
    {
        // Four 1-vCPU instances fit the one engine; calls of 1 s at 50/s queue without end, one a minute do not.
        const string text = """
            duration: 5min
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts: [{group: bare, count: 1, cores: 4, memory: 16GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}]
              engines: [{name: nodes, engine: containerd, host_group: bare}]
            container_images: [{name: py, steps: [{run: FROM python, size: 100MB}]}]
            platform: {engines: nodes, base_images: [py], throttle: queue}
            functions:
              - {name: f, base_image: py, memory: 1769MiB, timeout: 30s, arrivals: {rate: 50/s}, duration: 1s, keep_alive: 10min}
            """;
        var overloaded = ExperimentRunner.Run(ScenarioLoader.Parse("f.yaml", text) with { Replications = 1 });
        Assert.That(overloaded.Warnings, Has.One.StartsWith("function 'f' ended with a growing backlog"));
        var light = ExperimentRunner.Run(ScenarioLoader.Parse("f.yaml", text.Replace("rate: 50/s", "rate: 1/min", StringComparison.Ordinal)) with { Replications = 1 });
        Assert.That(light.Warnings, Is.Empty);
    }
}
