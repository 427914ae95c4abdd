namespace VirtSim.Tests.Cli;

/// <summary>
/// <c>--set PATH=VALUE</c>: a run with a value set is the run of the file with that value written
/// in it, byte for byte; a wrong path or value says which --set and why, with exit code 2.
/// </summary>
public class SetTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private static string Mm1 => Path.Combine(Repository.Examples, "mm1.yaml");

    private void SameBytes(string folderA, string folderB)
    {
        foreach (string name in new[] { "summary.json", "replications.csv" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Work, folderA, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Work, folderB, name))), name);
        }
    }

    [Test]
    public void ASetValueRunsAsTheFileWithThatValueWritten()
    {
        // The file edited by hand: 0.5 arrivals per second instead of 0.8, and a capacity it does not write.
        string text = File.ReadAllText(Mm1);
        Assert.That(text, Does.Contain("rate: 0.8/s"));
        string edited = Path.Combine(Work, "mm1.yaml");
        File.WriteAllText(edited, text.Replace("rate: 0.8/s", "rate: 0.5/s", StringComparison.Ordinal).Replace("  arrivals:", "  capacity: 6\n  arrivals:", StringComparison.Ordinal));
        Assert.That(Virtsim("run", edited, "--replications", "3", "--out", Path.Combine(Work, "edited")).Code, Is.Zero);

        var (code, _, errors) = Virtsim("run", Mm1, "--replications", "3", "--out", Path.Combine(Work, "set"),
            "--set", "station.arrivals.rate=0.5/s", "--set", "station.capacity=6");
        Assert.That(code, Is.Zero, errors);
        SameBytes("edited", "set");
    }

    [Test]
    public void ListItemsArePickedByNameOrIndex()
    {
        string faas = Path.Combine(Repository.Examples, "faas-engines.yaml");
        var byName = Virtsim("run", faas, "--replications", "2", "--out", Path.Combine(Work, "name"), "--set", "functions[webhook].keep_alive=1min");
        Assert.That(byName.Code, Is.Zero, byName.Err);
        var byIndex = Virtsim("run", faas, "--replications", "2", "--out", Path.Combine(Work, "index"), "--set", "functions[1].keep_alive=1min");
        Assert.That(byIndex.Code, Is.Zero, byIndex.Err);
        SameBytes("name", "index");
        var plain = Virtsim("run", faas, "--replications", "2", "--out", Path.Combine(Work, "plain"));
        Assert.That(plain.Code, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(Work, "plain", "summary.json")) == File.ReadAllText(Path.Combine(Work, "name", "summary.json")), Is.False,
            "the set changed the model (a 1-minute keep-alive instead of 10)");
    }

    [TestCase("station.arrivals.rate=abc", "--set station.arrivals.rate=abc: station.arrivals.rate: expected a rate")]
    [TestCase("station.arivals.rate=1/s", "the file has no 'station.arivals' (keys there: servers, discipline, arrivals, service); did you mean 'arrivals'?")]
    [TestCase("station.servers[0]=1", "'station.servers' is not a list")]
    [TestCase("station..servers=1", "has an empty key")]
    [TestCase("servers", "--set takes PATH=VALUE")]
    [TestCase("station.nokey=1", "error: --set station.nokey=1: station: unknown key 'nokey'")]
    [TestCase("station.servers=1\n---\n2", "error: --set station.servers=1\\u000A---\\u000A2: the value holds more than one YAML document")]
    [TestCase("station.arrivals={rat: 1/s}", "error: --set station.arrivals={rat: 1/s}: station.arrivals: unknown key 'rat'")]
    public void AWrongSetSaysWhichAndWhy(string set, string message)
    {
        var (code, output, errors) = Virtsim("run", Mm1, "--set", set, "--out", Path.Combine(Work, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(message));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(Work, "o")), Is.False, "nothing written");
    }

    [Test]
    public void ShardsCarryTheirSetsToTheMerge()
    {
        string parts = Path.Combine(Work, "parts");
        for (int i = 0; i < 2; i++)
        {
            Assert.That(Virtsim("run", Mm1, "--replications", "3", "--set", "station.servers=2", "--shard", $"{i}/2", "--out", parts).Code, Is.Zero);
        }
        Assert.That(Virtsim("merge", parts, "--out", Path.Combine(Work, "merged")).Code, Is.Zero);
        Assert.That(Virtsim("run", Mm1, "--replications", "3", "--set", "station.servers=2", "--out", Path.Combine(Work, "single")).Code, Is.Zero);
        SameBytes("merged", "single");
    }

    [Test]
    public void AValueNestedFiftyThousandDeepIsRefusedNamingTheSet()
    {
        string deep = new string('[', 50_000) + new string(']', 50_000);
        var (code, _, errors) = Virtsim("validate", Mm1, "--set", "station.servers=" + deep);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(": lists and mappings nested more than 100 deep"));
        Assert.That(errors, Does.StartWith($"{Mm1}: error: --set station.servers=[[["));
    }

    [Test]
    public void ASetOnAValueAnchorsShareChangesThatPlaceOnly()
    {
        string file = Path.Combine(Work, "shared.yaml");
        File.WriteAllText(file, """
            name: shared
            duration: 1h
            functions:
              - {name: a, memory: 512MiB, arrivals: &every-second {rate: 1/s}, duration: 100ms}
              - {name: b, memory: 512MiB, arrivals: *every-second, duration: 100ms}
            """);
        var scenario = VirtSim.Experiments.Scenarios.ScenarioLoader.LoadFile(file, [new("functions[a].arrivals.rate", "4/s")]);
        var functions = scenario.Datacenter!.Functions!.Functions;
        Assert.That(functions[0].Interarrival!.Mean, Is.EqualTo(0.25), "a at 4/s");
        Assert.That(functions[1].Interarrival!.Mean, Is.EqualTo(1.0), "b keeps the anchor's 1/s");
    }

    [Test]
    public void ThreeThousandSetsAreReadAndTheLastOfEachPathCounts()
    {
        var args = new List<string> { "validate", Mm1 };
        for (int i = 1; i <= 3_000; i++)
        {
            args.AddRange(["--set", $"station.servers={i}"]);
        }
        var overrides = Enumerable.Range(1, 3_000).Select(i => new VirtSim.Experiments.Scenarios.Override("station.servers", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.That(VirtSim.Experiments.Scenarios.ScenarioLoader.LoadFile(Mm1, overrides).Station!.Servers, Is.EqualTo(3_000));
        Assert.That(Virtsim([.. args]).Code, Is.Zero);
    }
}
