using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class ReproducibilityTests
{
    private static readonly string Scenario = Path.Combine(Repository.Examples, "mm4.yaml");

    private static (byte[] Summary, byte[] Csv) RunAndRead(RunOptions options)
    {
        var scenario = ScenarioLoader.LoadFile(Scenario) with { Duration = 2000 };
        string dir = Path.Combine(Path.GetTempPath(), "virtsim-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            ResultWriter.Write(ExperimentRunner.Run(scenario, options), dir);
            return (File.ReadAllBytes(Path.Combine(dir, ResultWriter.SummaryFile)), File.ReadAllBytes(Path.Combine(dir, ResultWriter.ReplicationsFile)));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Test]
    public void TheSameSeedGivesTheSameBytesWhateverTheParallelism()
    {
        var serial = RunAndRead(new RunOptions(Replications: 8, Seed: 5, Parallelism: 1));
        var parallel = RunAndRead(new RunOptions(Replications: 8, Seed: 5, Parallelism: 4));
        Assert.That(parallel.Summary, Is.EqualTo(serial.Summary));
        Assert.That(parallel.Csv, Is.EqualTo(serial.Csv));
    }

    [Test]
    public void AnotherSeedGivesOtherNumbers()
    {
        var a = RunAndRead(new RunOptions(Replications: 3, Seed: 5));
        var b = RunAndRead(new RunOptions(Replications: 3, Seed: 6));
        Assert.That(b.Csv, Is.Not.EqualTo(a.Csv));
    }

    [Test]
    public void AReplicationRunAloneEqualsTheSameReplicationInAFullRun()
    {
        // What a shard on another machine computes for replication 6 must be what the full run did.
        var scenario = ScenarioLoader.LoadFile(Scenario) with { Duration = 2000 };
        var full = ExperimentRunner.Run(scenario, new RunOptions(Replications: 8));
        var alone = ExperimentRunner.RunOne(scenario, 6);
        Assert.That(alone.Measurements, Is.EqualTo(full.Replications[6].Measurements));
        Assert.That(alone.Seed, Is.EqualTo(full.Replications[6].Seed));
    }

    [Test]
    public void AComparisonWritesTheSameBytesWhateverTheParallelism()
    {
        // Every file: tables, plots, the report and each deployment's results and timelines.
        var comparison = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, "compare-bursty.yaml"));
        string text = File.ReadAllText(Path.Combine(Repository.Examples, "compare-bursty.yaml"));
        Dictionary<string, byte[]> Files(int parallelism)
        {
            string dir = Path.Combine(Path.GetTempPath(), "virtsim-test-" + Guid.NewGuid().ToString("N"));
            try
            {
                var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 4, Parallelism: parallelism, Timeline: true));
                ComparisonWriter.Write(result, dir, text);
                return Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
                    .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, true);
                }
            }
        }
        var serial = Files(1);
        var parallel = Files(4);
        Assert.That(serial.Keys, Does.Contain("report.html").And.Contain(Path.Combine("functions", "cold_starts.csv")));
        Assert.That(parallel.Keys, Is.EquivalentTo(serial.Keys));
        foreach (var (file, bytes) in serial)
        {
            Assert.That(parallel[file], Is.EqualTo(bytes), file);
        }
    }
}
