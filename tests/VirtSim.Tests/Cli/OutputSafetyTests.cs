using VirtSim.Cli;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Cli;

/// <summary>
/// The results folder is VirtSim's own: a user's files are never deleted, nothing is written
/// outside it, an unusable folder is found before the simulation, and an interrupted run leaves
/// nothing behind.
/// </summary>
public class OutputSafetyTests : WithWorkFolder
{
    private static string Mm1 => Path.Combine(Repository.Examples, "mm1.yaml");

    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    [Test]
    public void AFolderHoldingTheUsersFilesIsRefusedAndLeftAsItWas()
    {
        // As `virtsim run s.yaml --out .` in the folder that holds the scenario.
        File.Copy(Mm1, Path.Combine(Work, "s.yaml"));
        File.WriteAllText(Path.Combine(Work, "notes.txt"), "mine");
        var (code, output, errors) = Virtsim("run", Path.Combine(Work, "s.yaml"), "--out", Work, "--replications", "2");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("holds files VirtSim did not write (notes.txt, s.yaml)").And.Contain("--force"));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName), Is.EquivalentTo(new[] { "s.yaml", "notes.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(Work, "notes.txt")), Is.EqualTo("mine"));
    }

    [Test]
    public void ForceReplacesOnlyVirtSimsOwnFiles()
    {
        File.Copy(Mm1, Path.Combine(Work, "s.yaml"));
        File.WriteAllText(Path.Combine(Work, "notes.txt"), "mine");
        for (int run = 0; run < 2; run++)
        {
            var (code, _, errors) = Virtsim("run", Path.Combine(Work, "s.yaml"), "--out", Work, "--replications", "2", "--force");
            Assert.That(code, Is.Zero, errors);
        }
        Assert.That(Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "s.yaml", "notes.txt", "summary.json", "replications.csv", OutputFolder.MarkerFile }));
        Assert.That(File.ReadAllText(Path.Combine(Work, "notes.txt")), Is.EqualTo("mine"));
        Assert.That(File.ReadAllLines(Path.Combine(Work, OutputFolder.MarkerFile)).Where(l => !l.StartsWith('#')),
            Is.EquivalentTo(new[] { "replications.csv", "summary.json" }), "the marker lists only what VirtSim wrote");
    }

    [Test]
    public void AUsersFileOfTheSameNameIsKeptUnderAnotherName()
    {
        File.WriteAllText(Path.Combine(Work, "summary.json"), "mine");
        Assert.That(Virtsim("run", Mm1, "--out", Work, "--replications", "2", "--force").Code, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(Work, "summary.json.orig")), Is.EqualTo("mine"));
        Assert.That(File.ReadAllText(Path.Combine(Work, "summary.json")), Does.Contain("\"metrics\""));
    }

    [Test]
    public void AMarkerCannotMakeVirtSimTouchAnythingOutsideItsFolder()
    {
        string outDir = Path.Combine(Work, "out");
        string outside = Path.Combine(Work, "precious.txt");
        File.WriteAllText(outside, "mine");
        Assert.That(Virtsim("run", Mm1, "--out", outDir, "--replications", "2").Code, Is.Zero);
        File.AppendAllLines(Path.Combine(outDir, OutputFolder.MarkerFile), ["../precious.txt", "..", outside]);
        Assert.That(Virtsim("run", Mm1, "--out", outDir, "--replications", "2").Code, Is.Zero);
        Assert.That(File.ReadAllText(outside), Is.EqualTo("mine"));
    }

    [Test]
    public void AScenarioFileNamedDotDotNeedsAnOutputFolder()
    {
        string file = Path.Combine(Work, "..yaml");
        File.Copy(Mm1, file);
        string before = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Work;
        try
        {
            var (code, _, errors) = Virtsim("run", file);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(errors, Does.Contain("the file name gives no results folder name").And.Contain("--out DIR"));
            Assert.That(Directory.Exists(Path.Combine(Work, "results")), Is.False);
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }

    [Test]
    public void AnUnwritableFolderIsFoundBeforeTheSimulationAndNamedAsTheUserWroteIt()
    {
        File.WriteAllText(Path.Combine(Work, "a-file"), "");
        string outDir = Path.Combine(Work, "a-file", "results");
        // The run is cancelled before it starts: had the folder been checked after it, the answer would be "cancelled".
        var (code, _, errors) = Run(cancelled: true, "run", Mm1, "--out", outDir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.StartWith($"{outDir}: error: cannot be written"));
        Assert.That(errors, Does.Not.Contain("partial"));
    }

    [Test]
    public void ANameThatIsAPathIsRefusedByValidate()
    {
        string text = File.ReadAllText(Path.Combine(Repository.Examples, "compare-web-api.yaml")).Replace("name: functions", "name: /tmp/escaped", StringComparison.Ordinal);
        string file = Path.Combine(Work, "c.yaml");
        File.WriteAllText(file, text);
        var (code, _, errors) = Virtsim("validate", file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Match(@"c\.yaml:\d+:\d+: error: compare\[2\]\.name: '/tmp/escaped' names a path"));
    }

    [Test]
    public void StagingFoldersOfADeadProcessAreRemovedByTheNextRun()
    {
        // PIDs never reach int.MaxValue (Linux caps them at 2^22): no process owns this one.
        string stale = Path.Combine(Work, $".out.partial-{int.MaxValue}");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "summary.json"), "half");
        Assert.That(Virtsim("run", Mm1, "--out", Path.Combine(Work, "out"), "--replications", "2").Code, Is.Zero);
        Assert.That(Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName), Is.EquivalentTo(new[] { "out" }));
    }

    [Test]
    public void CtrlCPrintsItsLineExits130AndWritesNothing()
    {
        string outDir = Path.Combine(Work, "out");
        var (code, output, errors) = Run(cancelled: true, "run", Mm1, "--out", outDir);
        Assert.That(code, Is.EqualTo(VirtSimApp.Cancelled));
        Assert.That(errors.TrimEnd(), Is.EqualTo("virtsim: cancelled; nothing was written"));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Work), Is.Empty, "no results and no staging folder");
    }

    [Test]
    public void ACancelWhileResultsAreWrittenLeavesNothing()
    {
        var result = ExperimentRunner.Run(ScenarioLoader.LoadFile(Mm1), new RunOptions(Replications: 2));
        string outDir = Path.Combine(Work, "out");
        using var cancel = new CancellationTokenSource();
        using (var folder = OutputFolder.Prepare(outDir))
        {
            Assert.Throws<OperationCanceledException>(() => folder.Commit(staging =>
            {
                ResultWriter.WriteInto(result, staging);
                cancel.Cancel();
            }, cancel.Token));
        }
        Assert.That(Directory.EnumerateFileSystemEntries(Work), Is.Empty);
    }

    private static (int Code, string Out, string Err) Run(bool cancelled, params string[] args)
    {
        using var source = new CancellationTokenSource();
        if (cancelled)
        {
            source.Cancel();
        }
        return Cli.Virtsim.Run(source.Token, args);
    }

    [Test]
    public void ATraceIsWrittenWhereAskedAndAUsersFileThereIsRefusedBeforeTheRun()
    {
        string layers = Path.Combine(Repository.Examples, "container-layers.yaml");
        string trace = Path.Combine(Work, "layers.json");
        var (code, output, errors) = Virtsim("run", layers, "--out", Path.Combine(Work, "out"), "--trace", trace);
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("Wrote the trace"));
        using (var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(trace)))
        {
            var names = document.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToHashSet();
            Assert.That(names, Does.Contain("download").And.Contain("unpack").And.Contain("pulling"));
        }

        string mine = Path.Combine(Work, "mine.json");
        File.WriteAllText(mine, "{}");
        (code, output, errors) = Virtsim("run", layers, "--out", Path.Combine(Work, "other"), "--trace", mine);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("not a trace VirtSim wrote"));
        Assert.That(File.ReadAllText(mine), Is.EqualTo("{}"));
        Assert.That(Directory.Exists(Path.Combine(Work, "other")), Is.False, "refused before anything was written");
    }
}
