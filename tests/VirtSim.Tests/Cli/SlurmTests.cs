namespace VirtSim.Tests.Cli;

/// <summary>
/// Shards on a real Slurm: a one-node cluster started for the test (deploy/slurm/local-cluster),
/// the scenario submitted as an array of shards and a dependent merge (deploy/slurm/submit), and
/// the merged results compared byte for byte with one process's (deploy/slurm/test-local does all
/// of it and stops the daemons it started). Needs root and Debian's slurm-wlm and munge, which
/// scripts/test installs.
/// </summary>
[Category("Slow")]
public class SlurmTests : WithWorkFolder
{
    [Test]
    public void AnArrayOfShardsOnSlurmMergesToTheBytesOfOneProcess()
    {
        Assert.That(Environment.UserName, Is.EqualTo("root"), "the one-node Slurm runs its daemons as root; run the tests as root (CI does)");
        string script = Path.Combine(Repository.Root, "deploy", "slurm", "test-local");
        string virtsim = $"dotnet {Path.Combine(AppContext.BaseDirectory, "virtsim.dll")}";
        var (code, output, errors) = ExternalProcess.Run(script,
            [Path.Combine(Repository.Examples, "faas-engines.yaml"), "3", Work, "--replications", "5", "--timeline"],
            TimeSpan.FromMinutes(12), Repository.Root, new Dictionary<string, string> { ["VIRTSIM"] = virtsim });
        Assert.That(code, Is.Zero, output + errors);
        Assert.That(output, Does.Contain("3 shards on Slurm").And.Contain("the same bytes"));

        // What the script compared, compared here too: every file, every byte.
        string merged = Path.Combine(Work, "merged"), single = Path.Combine(Work, "single");
        var names = Directory.GetFiles(single).Select(Path.GetFileName).ToList();
        Assert.That(names, Does.Contain("summary.json").And.Contain("cold_starts.csv"));
        Assert.That(Directory.GetFiles(merged).Select(Path.GetFileName), Is.EquivalentTo(names));
        foreach (string? name in names)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(merged, name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, name!))), name);
        }
        // Each array task wrote its part; the daemons are gone.
        Assert.That(Directory.GetFiles(Path.Combine(Work, "parts"), "shard-*-of-0003.json"), Has.Length.EqualTo(3));
        Assert.That(File.Exists(Path.Combine(Work, "cluster", "slurmctld.pid")), Is.False, "the controller was stopped");
    }
}
