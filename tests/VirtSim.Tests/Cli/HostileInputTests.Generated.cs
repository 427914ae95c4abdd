using System.Text;

namespace VirtSim.Tests.Cli;

/// <summary>
/// Hostile inputs too large to keep as files: made here, each must end in one line with its
/// position, exit code 2 and nothing written, in seconds and without a stack overflow.
/// </summary>
public partial class HostileInputTests
{
    private static string Write(string name, string text)
    {
        string file = Path.Combine(Path.GetTempPath(), $"virtsim-hostile-{Guid.NewGuid():N}-{name}");
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Runs <c>virtsim</c> with <paramref name="args"/> and then the file <paramref name="text"/> written as <paramref name="name"/>; the file is removed after.</summary>
    private static (int Code, string Errors) OnFile(string name, string text, params string[] args)
    {
        string file = Write(name, text);
        try
        {
            var (code, _, errors) = Virtsim.Run([args[0], file, .. args[1..]]);
            return (code, errors);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void ACallChainTwentyThousandDeepIsRefusedAtTheCallThatGoesTooDeep()
    {
        var text = new StringBuilder("name: chain\nduration: 1h\nfunctions:\n");
        const int depth = 20_000;
        for (int i = 0; i < depth; i++)
        {
            string rate = i == 0 ? "1/s" : "1e-9/d";
            text.Append($"  - {{name: f{i}, memory: 128MiB, timeout: 10s, arrivals: {{rate: {rate}}}, duration: 1ms, calls: [{{function: f{i + 1}, sync: true}}]}}\n");
        }
        text.Append($"  - {{name: f{depth}, memory: 128MiB, timeout: 10s, arrivals: {{rate: 1e-9/d}}, duration: 1ms}}\n");
        var (code, errors) = OnFile("chain.yaml", text.ToString(), "validate");
        Assert.That(code, Is.EqualTo(2), errors);
        // Line 1,003 holds function 999, whose call to f1000 is the 1,001st function of the chain.
        Assert.That(errors, Does.Match(@":1003:\d+: error: functions\[999\]\.calls\[0\]\.function: calling 'f1000' from 'f999' makes a chain of calls more than 1,000 functions deep"));
    }

    [Test]
    public void TwentyThousandImagesBuiltOnEachOtherAreRefusedAtTheLayerLimit()
    {
        var text = new StringBuilder("name: images\nduration: 1h\ncontainer_images:\n  - {name: i0, steps: [{run: \"FROM scratch\", size: 1MB}]}\n");
        for (int i = 1; i < 20_000; i++)
        {
            text.Append($"  - {{name: i{i}, base: i{i - 1}, steps: [{{run: \"RUN step {i}\", size: 1MB}}]}}\n");
        }
        text.Append("""
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: node, count: 1, cores: 4, memory: 16GiB, disk: 100GB, disk_bandwidth: 500MB/s, hypervisor: none}
              engines:
                - {name: nodes, host_group: node}
            pods:
              - {name: web, containers: [{image: i0, cpu: 1, memory: 1GiB}]}
            """);
        var (code, errors) = OnFile("images.yaml", text.ToString(), "validate");
        Assert.That(code, Is.EqualTo(2), errors);
        // Image i127 is the 128th: line 4 holds i0, so line 131 holds i127.
        Assert.That(errors, Does.Match(@":131:\d+: error: container_images\[127\]\.steps: the image would have 128 layers \(127 from its base\)"));
    }

    [TestCase("2147483647")]
    [TestCase("1000001")]
    [TestCase("１０")]
    public void ReplicationsBeyondTheFilesBoundAreRefusedOnTheCommandLineToo(string replications)
    {
        var (code, output, errors) = Virtsim.Run("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--replications", replications,
            "--out", Path.Combine(Path.GetTempPath(), "virtsim-never-" + Guid.NewGuid().ToString("N")));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain($"--replications takes a whole number from 1 to 1,000,000 (as a scenario file's replications), not '{replications}'"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void TheEventsBudgetCountsEveryReplicationOfTheRun()
    {
        // mm1: 0.8 arrivals a second over 10 h 10 min, an arrival and a departure each: at least
        // 2 x 0.8 x 36,600 = 58,560 events a replication; 2,000 of them need 1.17e8, more than
        // 100 x --max-events = 1e8. A thousand (5.9e7) would be within it.
        string mm1 = Path.Combine(Repository.Examples, "mm1.yaml");
        string outDir = Path.Combine(Path.GetTempPath(), "virtsim-never-" + Guid.NewGuid().ToString("N"));
        var (code, _, errors) = Virtsim.Run("run", mm1, "--replications", "2000", "--max-events", "1000000", "--out", outDir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("2,000 replications would need at least 1.17E+08 events in all (5.86E+04 each, mostly the station's arrivals"));
        Assert.That(errors, Does.Contain("--shard I/N"));
        Assert.That(Directory.Exists(outDir), Is.False);

        // A shard runs its share only: a hundredth of them is within the budget.
        Assert.DoesNotThrow(() => VirtSim.Cli.Commands.RunCommand.CheckBudget(mm1, VirtSim.Experiments.Scenarios.ScenarioLoader.LoadFile(mm1),
            new VirtSim.Experiments.Running.RunOptions(Replications: 2000, Budget: new VirtSim.Experiments.Running.RunBudget(1_000_000),
                Shard: new VirtSim.Experiments.Running.Shard(0, 100))));
    }

    [Test]
    public void EscapeSequencesInAKeyAreShownNotSentToTheTerminal()
    {
        // YAML's "\e" is ESC: ESC [2J clears a screen, ESC ]0; sets a terminal's title.
        var (code, errors) = OnFile("escape.yaml", "name: t\nduration: 1h\n\"\\e[2J\\e]0;pwned\\a\": 1\n", "validate");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("unknown key '\\u001B[2J\\u001B]0;pwned\\u0007'"));
        Assert.That(errors.TrimEnd().Any(c => char.IsControl(c)), Is.False, "no control character reaches the terminal");
    }

    [Test]
    public void ADeviceOrAPipeIsNeverReadAsAScenarioOrATrace()
    {
        var (code, _, errors) = Virtsim.Run("validate", "/dev/zero");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.TrimEnd(), Is.EqualTo("/dev/zero: error: is a device, pipe or socket; expected a scenario YAML file, a regular file"));

        string folder = Path.Combine(Path.GetTempPath(), "virtsim-fifo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string fifo = Path.Combine(folder, "trace.csv");
            Assert.That(ExternalProcess.Run("mkfifo", [fifo], TimeSpan.FromSeconds(10)).ExitCode, Is.Zero);
            string file = Path.Combine(folder, "s.yaml");
            File.WriteAllText(file, "name: t\nduration: 10min\nfunctions:\n  - {name: api, memory: 512MiB, arrivals: {trace: trace.csv, function: api}, duration: 100ms}\n");
            (code, _, errors) = Virtsim.Run("validate", file);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(errors, Does.Match(@"s\.yaml:4:\d+: error: functions\[0\]\.arrivals\.trace: .*trace\.csv is a device, pipe or socket; expected a trace CSV file, a regular file"));
            (code, _, errors) = Virtsim.Run("validate", fifo);
            Assert.That(code, Is.EqualTo(2), "a pipe given as the scenario is not opened either");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void TheEventsBudgetCountsTheInvocationsFunctionsMakeOfEachOther()
    {
        // f0 at 1/s for an hour calls f1 twice, f1 calls f2 twice, ... f9: f_k is invoked
        // 3,600 x 2^k times, 3,682,800 in all (3,600 x (2^10 - 1)), most of them f9's 1,843,200.
        var text = new StringBuilder("name: fan-out\nduration: 1h\nfunctions:\n");
        for (int k = 0; k < 10; k++)
        {
            string rate = k == 0 ? "1/s" : "1e-9/d";
            string calls = k < 9 ? $", calls: [{{function: f{k + 1}, sync: false}}, {{function: f{k + 1}, sync: false}}]" : "";
            text.Append($"  - {{name: f{k}, memory: 128MiB, timeout: 10s, arrivals: {{rate: {rate}}}, duration: 1ms{calls}}}\n");
        }
        var (code, errors) = OnFile("fan-out.yaml", text.ToString(), "run", "--max-events", "1000000", "--replications", "1",
            "--out", Path.Combine(Path.GetTempPath(), "virtsim-never-" + Guid.NewGuid().ToString("N")));
        Assert.That(code, Is.EqualTo(2), errors);
        Assert.That(errors, Does.Contain("one replication would need at least 3.68E+06 events"));
        Assert.That(errors, Does.Contain("mostly calls to function 'f9' from other functions (1.84E+06 invocations)"));
    }
}
