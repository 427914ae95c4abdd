using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class TraceTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "virtsim-trace-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "t.csv"),
            "HashOwner,HashApp,HashFunction,Trigger,1,2,3\n" +
            "o,a,three-then-two,http,3,0,2\n" +
            "o,a,broken,http,1,x,2\n");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private string Scenario(string function, string trace = "t.csv")
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $$"""
            duration: 10min
            replications: 3
            functions:
              - {name: f, arrivals: {trace: {{trace}}, function: {{function}}}, duration: 1ms, runtime_init: 0s, function_init: 0s}
            """);
        return path;
    }

    [Test]
    public void ATraceGivesExactlyItsInvocationsEachWithinItsMinute()
    {
        var scenario = ScenarioLoader.LoadFile(Scenario("three-then-two"));
        Assert.That(scenario.Datacenter!.Functions!.Functions[0].InvocationsPerMinute, Is.EqualTo(new[] { 3, 0, 2 }));
        foreach (var until in new[] { 60.0, 120.0, 180.0 })
        {
            var result = ExperimentRunner.Run(scenario with { Duration = until });
            var invocations = result.Replications.Select(r => r.Measurements.Single(m => m.Name == "f.invocations").Value).ToList();
            Assert.That(invocations, Is.All.EqualTo(until < 120 ? 3 : until < 180 ? 3 : 5), $"by {until} s");
        }
    }

    [Test]
    public void TheTracePathIsRelativeToTheScenarioAndItsAbsenceIsNamed()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(Scenario("three-then-two", "missing.csv")))!;
        Assert.That(e.Message, Does.Contain("no trace file at").And.Contain("missing.csv"));
        Assert.That(e.Line, Is.EqualTo(4));
    }

    [Test]
    public void AnUnknownFunctionIsNamedWithTheOnesTheTraceHas()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(Scenario("nope")))!;
        Assert.That(e.Message, Does.Contain("no function 'nope' in t.csv (it has three-then-two, broken)"));
    }

    [Test]
    public void ABadCountIsReportedAtItsLineAndField()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(Scenario("broken")))!;
        Assert.That(e.File, Does.EndWith("t.csv"));
        Assert.That((e.Line, e.Column), Is.EqualTo((3, 6)));
        Assert.That(e.Message, Does.Contain("minute 2 of broken: expected a whole number of invocations, zero or more, not 'x'"));
    }

    [Test]
    public void TheShippedSampleTraceDrivesTheExample()
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "faas-trace.yaml"));
        var m = ExperimentRunner.Run(scenario, new RunOptions(Replications: 1)).Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["timer-5min-10m.invocations"], Is.EqualTo(288), "the sample's 5-minute timer fires 288 times a day");
        Assert.That(m["timer-5min-10m.cold_start_ratio"], Is.LessThan(0.01), "kept 10 minutes, a 5-minute timer stays warm");
        Assert.That(m["timer-5min-1m.cold_start_ratio"], Is.GreaterThan(0.95), "kept 1 minute, it goes cold every time");
    }
}
