namespace VirtSim.Tests.Cli;

/// <summary>
/// A run split into shards and merged writes the bytes one process writes: the same replications,
/// each with the seed its index gives, whatever shard ran it.
/// </summary>
public class ShardTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);

    [TestCase("faas-engines.yaml", 3, 2)]
    [TestCase("mm4.yaml", 4, 6)]              // more shards than replications: two of them run none
    public void ShardsMergedWriteTheBytesOfOneProcess(string example, int replications, int shards)
    {
        string file = Path.Combine(Repository.Examples, example);
        string parts = Path.Combine(Work, "parts");
        string count = replications.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = shards - 1; i >= 0; i--)
        {
            var (code, output, errors) = Virtsim("run", file, "--replications", count, "--timeline", "--shard", $"{i}/{shards}", "--out", parts);
            Assert.That(code, Is.Zero, errors);
            Assert.That(output, Does.Contain($"shard {i}/{shards} ran"));
        }
        var merged = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(merged.Code, Is.Zero, merged.Err);
        var single = Virtsim("run", file, "--replications", count, "--timeline", "--out", Path.Combine(Work, "single"));
        Assert.That(single.Code, Is.Zero, single.Err);

        var expected = Files(Path.Combine(Work, "single"));
        var actual = Files(Path.Combine(Work, "merged"));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        Assert.That(expected.Keys, Does.Contain("summary.json").And.Contain("replications.csv"));
        foreach (var (name, bytes) in expected)
        {
            Assert.That(actual[name], Is.EqualTo(bytes), name);
        }
        // The merge prints the table a run prints.
        Assert.That(merged.Out, Does.Contain("± 95%"));
    }

    [Test]
    public void AMissingShardOrAPartOfAnotherRunIsRefused()
    {
        string mm1 = Path.Combine(Repository.Examples, "mm1.yaml");
        string parts = Path.Combine(Work, "parts");
        Assert.That(Virtsim("run", mm1, "--replications", "2", "--shard", "0/2", "--out", parts).Code, Is.Zero);
        var (code, _, errors) = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("lacks shard 1 of 2"));
        Assert.That(Directory.Exists(Path.Combine(Work, "merged")), Is.False, "nothing written");

        // Shard 1 of a run with another seed is not this run's.
        Assert.That(Virtsim("run", mm1, "--replications", "2", "--seed", "99", "--shard", "1/2", "--out", parts).Code, Is.Zero);
        (code, _, errors) = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("belongs to another run"));
    }

    [TestCase("3/3", "--shard takes I/N with 0 ≤ I < N")]
    [TestCase("1-4", "--shard takes I/N")]
    public void ABadShardIsRefused(string shard, string message)
    {
        var (code, _, errors) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--shard", shard, "--out", Path.Combine(Work, "p"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(message));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ASweepShardedByPointMergesToTheBytesOfOneProcess(bool toPrecision)
    {
        // Points go whole to shards (point p to shard p mod N): with a precision, each point's
        // sequential procedure runs in one shard, and the merge still equals one process.
        string text = File.ReadAllText(Path.Combine(Repository.Examples, "mm1-load-sweep.yaml")).Replace("duration: 5h", "duration: 1h", StringComparison.Ordinal);
        if (toPrecision)
        {
            text += "precision:\n  metrics: [response_time_mean]\n  relative: 10%\n  min: 3\n  max: 40\n";
        }
        string file = Path.Combine(Work, "sweep.yaml");
        File.WriteAllText(file, text);
        string[] replications = toPrecision ? [] : ["--replications", "3"];
        string parts = Path.Combine(Work, "parts");
        for (int i = 0; i < 4; i++)
        {
            var (code, output, errors) = Virtsim(["run", file, .. replications, "--shard", $"{i}/4", "--out", parts]);
            Assert.That(code, Is.Zero, errors);
            Assert.That(output, Does.Contain($"sweep shard {i}/4 ran {(i < 2 ? 2 : 1)} of 6 points"));
        }
        var merged = Virtsim("merge", parts, "--out", Path.Combine(Work, "merged"));
        Assert.That(merged.Code, Is.Zero, merged.Err);
        var single = Virtsim(["run", file, .. replications, "--out", Path.Combine(Work, "single")]);
        Assert.That(single.Code, Is.Zero, single.Err);
        var expected = Files(Path.Combine(Work, "single"));
        Assert.That(Files(Path.Combine(Work, "merged")).Keys, Is.EquivalentTo(expected.Keys));
        Assert.That(expected.Keys, Does.Contain("sweep.csv"));
        foreach (var (name, bytes) in expected)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Work, "merged", name)), Is.EqualTo(bytes), name);
        }
    }
}
