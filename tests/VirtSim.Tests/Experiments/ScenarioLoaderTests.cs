using VirtSim.Datacenter.Workload;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Experiments;

public class ScenarioLoaderTests
{
    private const string Good = """
        name: web
        seed: 9
        replications: 4
        warmup: 5min
        duration: 2h
        station:
          servers: 4
          discipline: ps
          capacity: 12
          arrivals:
            rate: 180/min
          service:
            distribution: erlang
            shape: 2
            mean: 500ms
        """;

    [Test]
    public void AGoodScenarioIsReadWithItsUnitsConverted()
    {
        var s = ScenarioLoader.Parse("web.yaml", Good);
        Assert.That((s.Name, s.Seed, s.Replications, s.Warmup, s.Duration), Is.EqualTo(("web", 9UL, 4, 300.0, 7200.0)));
        Assert.That(s.Station, Is.EqualTo(new StationSpec(4, QueueDiscipline.ProcessorSharing, 12,
            new Distribution.Exponential(1 / 3.0), new Distribution.Erlang(2, 0.5))));
    }

    private static ScenarioException Bad(string text) =>
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", text))!;

    [Test]
    public void AnUnknownKeyIsNamedWithItsPositionAndANearMiss()
    {
        var e = Bad(Good.Replace("  servers: 4", "  severs: 4"));
        Assert.That((e.Line, e.Column), Is.EqualTo((7, 3)));
        Assert.That(e.Message, Does.StartWith("bad.yaml:7:3: error: station: unknown key 'severs'"));
        Assert.That(e.Message, Does.Contain("did you mean 'servers'?"));
    }

    [Test]
    public void AValueOfTheWrongTypeSaysWhatWasExpected()
    {
        var e = Bad(Good.Replace("servers: 4", "servers: four"));
        Assert.That(e.Message, Is.EqualTo("bad.yaml:7:12: error: station.servers: expected a whole number, not 'four'"));
    }

    [Test]
    public void AMappingWhereAValueBelongsIsRefused()
    {
        var e = Bad(Good.Replace("seed: 9", "seed: {a: 1}"));
        Assert.That(e.Message, Is.EqualTo("bad.yaml:2:7: error: seed: expected a seed (a whole number), not a mapping"));
    }

    [Test]
    public void AMissingKeyIsNamedWithAnExample()
    {
        var e = Bad(Good.Replace("duration: 2h\n", ""));
        Assert.That(e.Message, Is.EqualTo("bad.yaml:1:1: error: missing key 'duration' (for example duration: 1h)"));
    }

    [Test]
    public void ANegativeDurationIsRefused()
    {
        var e = Bad(Good.Replace("warmup: 5min", "warmup: -5min"));
        Assert.That(e.Message, Is.EqualTo("bad.yaml:4:9: error: warmup: expected a duration of zero or more, not -5min"));
    }

    [Test]
    public void AZeroMeanServiceTimeIsRefused()
    {
        var e = Bad(Good.Replace("mean: 500ms", "mean: 0s"));
        Assert.That(e.Message, Does.Contain("station.service.mean: expected a duration greater than zero"));
    }

    [Test]
    public void AnUnknownUnitIsNamed()
    {
        var e = Bad(Good.Replace("duration: 2h", "duration: 2 weeks"));
        Assert.That(e.Message, Is.EqualTo("bad.yaml:5:11: error: duration: unknown time unit 'weeks' (expected one of ns, us, ms, s, min, h, d)"));
    }

    [Test]
    public void AMissingUnitIsNamed()
    {
        var e = Bad(Good.Replace("duration: 2h", "duration: 7200"));
        Assert.That(e.Message, Does.Contain("duration: expected a unit after 7200"));
    }

    [Test]
    public void ACapacityBelowTheServerCountIsRefused()
    {
        var e = Bad(Good.Replace("capacity: 12", "capacity: 2"));
        Assert.That(e.Message, Does.Contain("station.capacity: expected a capacity of at least the number of servers (4)"));
    }

    [Test]
    public void AnUnknownDistributionListsTheKnownOnes()
    {
        var e = Bad(Good.Replace("distribution: erlang", "distribution: pareto"));
        Assert.That(e.Message, Does.Contain("expected one of exponential, deterministic, erlang, uniform, lognormal, on_off, not 'pareto'"));
    }

    [Test]
    public void AnOnOffSourceIsReadWithItsRateAndPeriods()
    {
        var s = ScenarioLoader.Parse("web.yaml", Good.Replace("rate: 180/min", "interarrival: {distribution: on_off, rate: 120/min, on: 1min, off: 10min}"));
        Assert.That(s.Station!.Interarrival, Is.EqualTo(new Distribution.OnOff(2, 60, 600)));
        var e = Bad(Good.Replace("rate: 180/min", "interarrival: {distribution: on_off, rate: 2/s, on: 1min}"));
        Assert.That(e.Message, Does.Contain("missing key 'off' (for example off: 10min)"));
    }

    [Test]
    public void AParameterOfAnotherDistributionIsRefused()
    {
        var e = Bad(Good.Replace("shape: 2", "sd: 2s"));
        Assert.That(e.Message, Does.Contain("unknown key 'sd'"));
    }

    [Test]
    public void BrokenYamlIsReportedWhereTheParserStopped()
    {
        var e = Bad("name: x\nstation: [1, 2\nduration: 1h\n");
        Assert.That(e.Line, Is.GreaterThanOrEqualTo(2));
        Assert.That(e.Message, Does.StartWith($"bad.yaml:{e.Line}:{e.Column}: error: broken YAML"));
    }

    [Test]
    public void AnEmptyFileIsRefused()
    {
        Assert.That(Bad("").Message, Does.Contain("the file is empty"));
    }

    [Test]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("no/such/scenario.yaml"))!;
        Assert.That(e.Message, Does.StartWith("no/such/scenario.yaml: error: no such file"));
    }
}
