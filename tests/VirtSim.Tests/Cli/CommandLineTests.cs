using System.Text.Json;
using VirtSim.Cli.Commands;

namespace VirtSim.Tests.Cli;

public class CommandLineTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private string Write(string name, string text)
    {
        string path = Path.Combine(Work, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void RunPrintsTheTableAndWritesSummaryAndReplications()
    {
        string outDir = Path.Combine(Work, "out");
        var (code, stdout, stderr) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--replications", "3", "--out", outDir);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("response_time_mean").And.Contain("± 95%").And.Contain("3 replications"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var mean = summary.RootElement.GetProperty("metrics").GetProperty("response_time_mean");
        Assert.That(mean.GetProperty("unit").GetString(), Is.EqualTo("s"));
        Assert.That(mean.GetProperty("ci95_low").GetDouble(), Is.LessThan(mean.GetProperty("ci95_high").GetDouble()));
        var rows = File.ReadAllLines(Path.Combine(outDir, "replications.csv"));
        Assert.That(rows, Has.Length.EqualTo(4));
        Assert.That(rows[0], Does.StartWith("replication,seed,events,response_time_mean[s],"));
        Assert.That(Directory.GetDirectories(Work), Is.EqualTo(new[] { outDir }), "no staging folder left behind");
    }

    [Test]
    public void ValidateAcceptsAGoodFileAndWritesNothing()
    {
        var (code, stdout, _) = Virtsim("validate", Path.Combine(Repository.Examples, "mm4.yaml"));
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("ok"));
    }

    [Test]
    public void BadScenarioExitsWithTwoOneMessageAndNothingWritten()
    {
        string bad = Write("bad.yaml", "duration: 1h\nstation:\n  servers: 1\n  arrivals: {rate: 1/s}\n  service: {distribution: exponential, mean: fast}\n");
        string outDir = Path.Combine(Work, "out");
        var (code, stdout, stderr) = Virtsim("run", bad, "--out", outDir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.TrimEnd(), Is.EqualTo($"{bad}:5:46: error: station.service.mean: expected a duration such as 250ms, 2s, 10min or 1h, not 'fast'"));
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(stdout, Is.Empty);
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void MissingFileExitsWithTwo()
    {
        var (code, _, stderr) = Virtsim("run", Path.Combine(Work, "nope.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("nope.yaml: error: no such file"));
    }

    [TestCase("--replications", "0", "--replications takes a whole number from 1 to 1,000,000")]
    [TestCase("--seed", "-1", "--seed takes a whole number")]
    [TestCase("--bogus", "1", "Unknown option 'bogus'")]
    public void BadArgumentsExitWithTwo(string option, string value, string message)
    {
        var (code, _, stderr) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), option, value, "--out", Path.Combine(Work, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(Work, "out")), Is.False);
    }

    [Test]
    public void RerunningReplacesVirtSimsEarlierResultsWhole()
    {
        string outDir = Path.Combine(Work, "out");
        Assert.That(Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--replications", "2", "--out", outDir).Code, Is.Zero);
        // An earlier VirtSim run wrote a file this one does not: the marker lists it, so it goes.
        File.WriteAllText(Path.Combine(outDir, "vm_timeline.csv"), "old");
        File.AppendAllLines(Path.Combine(outDir, ".virtsim-results"), ["vm_timeline.csv"]);
        var (code, _, _) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--replications", "2", "--out", outDir);
        Assert.That(code, Is.Zero);
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "replications.csv", ".virtsim-results" }));
    }

    [Test]
    public void WithoutATerminalARunSaysEveryFewSecondsThatItIsAlive()
    {
        var period = RunProgress.LinePeriod;
        RunProgress.LinePeriod = TimeSpan.FromMilliseconds(20);
        try
        {
            var (code, _, stderr) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--parallelism", "1", "--out", Path.Combine(Work, "out"));
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stderr, Does.Match(@"virtsim: mm1: replications: \d+\.\d of 10 replications \(\d+%\), \d+ s elapsed"));
        }
        finally
        {
            RunProgress.LinePeriod = period;
        }
    }

    [Test]
    public void HelpShowsExamples()
    {
        var (code, stdout, _) = Virtsim("run", "--help");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("EXAMPLES").And.Contain("virtsim run scenarios/examples/mm1.yaml"));
    }

    [TestCase("run")]
    [TestCase("compare")]
    [TestCase("merge")]
    [TestCase("validate")]
    [TestCase("metrics")]
    public void EveryCommandsHelpRenders(string command)
    {
        // Help text is Spectre markup: a bracket in a description must be doubled, or help fails.
        var (code, stdout, errors) = Virtsim(command, "--help");
        Assert.That(code, Is.Zero, errors);
        Assert.That(stdout, Does.Contain("USAGE"));
    }

    [Test]
    public void FormatsOnStandardOutputCarryTheSameNumbersAsTheFiles()
    {
        string mm1 = Path.Combine(Repository.Examples, "mm1.yaml");
        string outDir = Path.Combine(Work, "out");
        var (code, json, errors) = Virtsim("run", mm1, "--replications", "3", "--out", outDir, "--format", "json");
        Assert.That(code, Is.Zero, errors);
        // Standard output is the summary alone (messages went to standard error), equal to summary.json.
        Assert.That(json.TrimEnd(), Is.EqualTo(File.ReadAllText(Path.Combine(outDir, "summary.json")).TrimEnd()));
        Assert.That(errors, Does.Contain("Wrote"));

        (code, string csv, errors) = Virtsim("run", mm1, "--replications", "3", "--out", outDir, "--format", "csv");
        Assert.That(code, Is.Zero, errors);
        var lines = csv.TrimEnd().Split('\n');
        Assert.That(lines[0].TrimEnd('\r'), Is.EqualTo("metric,unit,mean,ci95_low,ci95_high,replications"));
        using (var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            var metrics = summary.RootElement.GetProperty("metrics");
            Assert.That(lines.Length - 1, Is.EqualTo(metrics.EnumerateObject().Count()));
            var fields = lines.Single(l => l.StartsWith("response_time_mean,", StringComparison.Ordinal)).Split(',');
            Assert.That(double.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(metrics.GetProperty("response_time_mean").GetProperty("mean").GetDouble()));
        }

        (code, string md, _) = Virtsim("run", mm1, "--replications", "3", "--out", outDir, "--format", "md");
        Assert.That(code, Is.Zero);
        Assert.That(md, Does.StartWith("# mm1").And.Contain("| Metric | Mean | ± 95% | Unit |").And.Contain("| response_time_mean |").And.Contain(" s |").And.Contain(" % |"));
    }

    [Test]
    public void AnUnknownFormatIsRefusedWithASuggestion()
    {
        var (code, output, errors) = Virtsim("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--format", "jsno", "--out", Path.Combine(Work, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("--format takes table, md, csv or json, not 'jsno'; did you mean 'json'?"));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(Work, "o")), Is.False);
    }
}

public class CompareCommandTests : WithWorkFolder
{
    [Test]
    public void CompareWritesTheTableTheReportTheTimelineAndOneFolderPerDeployment()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "virtsim-cmp-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var output = new StringWriter();
            var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Ansi = Spectre.Console.AnsiSupport.No,
                Interactive = Spectre.Console.InteractionSupport.No,
                Out = new Spectre.Console.AnsiConsoleOutput(output),
            });
            var errors = new StringWriter();
            int code = VirtSim.Cli.VirtSimApp.Run(["compare", Path.Combine(Repository.Examples, "compare-web-api.yaml"), "--replications", "2", "--out", outDir], console, errors);
            Assert.That(code, Is.Zero, errors.ToString());
            Assert.That(output.ToString(), Does.Contain("latency p99").And.Contain("functions"));
            Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "comparison.md", "comparison.csv", "report.html", "startup-timeline.png", "startup-timeline.svg", "instances-over-time.png", "instances-over-time.svg", ".virtsim-results" }));
            Assert.That(Directory.GetDirectories(outDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "vms", "containers", "functions" }));
            Assert.That(File.Exists(Path.Combine(outDir, "functions", "summary.json")), Is.True);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Test]
    public void RunOnAComparisonSaysToUseCompareAndValidateChecksIt()
    {
        string file = Path.Combine(Repository.Examples, "compare-web-api.yaml");
        var errors = new StringWriter();
        Assert.That(VirtSim.Cli.VirtSimApp.Run(["run", file, "--out", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N"))], null, errors), Is.EqualTo(2));
        Assert.That(errors.ToString(), Does.Contain("run it with virtsim compare"));
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(output),
        });
        console.Profile.Width = 300;
        Assert.That(VirtSim.Cli.VirtSimApp.Run(["validate", file], console, new StringWriter()), Is.Zero);
        Assert.That(output.ToString(), Does.Contain("comparison 'compare-web-api' of vms, containers, functions"));
    }

    [Test]
    public void CompareOnABadFileExitsWithTwoAndWritesNothing()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "virtsim-cmp-bad-" + Guid.NewGuid().ToString("N"));
        var errors = new StringWriter();
        int code = VirtSim.Cli.VirtSimApp.Run(["compare", Path.Combine(Repository.Examples, "mm1.yaml"), "--out", outDir], null, errors);
        Assert.That(code, Is.EqualTo(2));
        // Says what to do, as run on a comparison does, rather than that 'station' is not a comparison's key.
        Assert.That(errors.ToString(), Does.Contain("mm1.yaml:").And.Contain("this file is a scenario, not a comparison (it has no compare section): run it with virtsim run"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [TestCase("validate")]
    [TestCase("compare")]
    public void DeploymentsWrittenUnderTheWrongKeyAreNamed(string command)
    {
        string text = File.ReadAllText(Path.Combine(Repository.Examples, "compare-web-api.yaml"));
        Assert.That(text, Does.Contain("\ncompare:\n"));
        string file = Path.Combine(Work, "deployments.yaml");
        File.WriteAllText(file, text.Replace("\ncompare:\n", "\ndeployments:\n", StringComparison.Ordinal));
        var errors = new StringWriter();
        int code = VirtSim.Cli.VirtSimApp.Run(command == "compare" ? [command, file, "--out", Path.Combine(Work, "out")] : [command, file], null, errors);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.ToString(), Does.Match(@"deployments\.yaml:\d+:1: error: .*deployments under compare:"));
    }

    [Test]
    public void NoCommandShowsTheHelpAndExitsWithTwo()
    {
        var (code, output, errors) = Virtsim.Run();
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Does.Contain("USAGE:").And.Contain("run"));
        Assert.That(errors.TrimEnd(), Does.StartWith("virtsim: error: no command given"));
    }

    [Test]
    public void AFolderGivenAsTheFileIsNamedAsOne()
    {
        var errors = new StringWriter();
        Assert.That(VirtSim.Cli.VirtSimApp.Run(["validate", Work], null, errors), Is.EqualTo(2));
        Assert.That(errors.ToString().TrimEnd(), Is.EqualTo($"{Work}: error: is a folder; expected a scenario YAML file"));
    }
}
