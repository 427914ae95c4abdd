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
    public void StagingFoldersOfADeadRunAreRemovedAndAUsersLookAlikeIsKept()
    {
        // A dead run's staging folder: its marker is there and nobody holds its lock.
        string stale = Path.Combine(Work, $".out.partial-{int.MaxValue}");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, OutputFolder.StagingMarkerFile), "");
        File.WriteAllText(Path.Combine(stale, "summary.json"), "half");
        // A user's folder whose name merely has the same shape: no marker, so it is not VirtSim's.
        string thesis = Path.Combine(Work, ".thesis.partial-2023");
        Directory.CreateDirectory(thesis);
        File.WriteAllText(Path.Combine(thesis, "chapter1.tex"), "mine");
        Assert.That(Virtsim("run", Mm1, "--out", Path.Combine(Work, "out"), "--replications", "2").Code, Is.Zero);
        Assert.That(Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName), Is.EquivalentTo(new[] { "out", ".thesis.partial-2023" }));
        Assert.That(File.ReadAllText(Path.Combine(thesis, "chapter1.tex")), Is.EqualTo("mine"));
    }

    [Test]
    public void ALiveRunsStagingFolderIsLeftAloneWhateverItsProcessId()
    {
        // As a run in another PID namespace: its process id means nothing here, but it holds its marker's lock.
        string other = Path.Combine(Work, $".other.partial-{int.MaxValue}");
        Directory.CreateDirectory(other);
        using (new FileStream(Path.Combine(other, OutputFolder.StagingMarkerFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.That(Virtsim("run", Mm1, "--out", Path.Combine(Work, "out"), "--replications", "2").Code, Is.Zero);
            Assert.That(Directory.Exists(other), Is.True);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ASecondRunOnAFolderBeingWrittenIsRefusedWithoutHarmingTheFirst(bool folderExists)
    {
        string outDir = Path.Combine(Work, "out");
        if (folderExists)
        {
            Assert.That(Virtsim("run", Mm1, "--out", outDir, "--replications", "2").Code, Is.Zero);
        }
        using var first = OutputFolder.Prepare(outDir);
        var (code, output, errors) = Virtsim("run", Mm1, "--out", outDir, "--replications", "2");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.TrimEnd(), Is.EqualTo($"{outDir}: error: is being written by another VirtSim run (its staging folder is locked); wait for that run to end, or choose another --out folder"));
        Assert.That(output, Is.Empty);
        first.Commit(staging => File.WriteAllText(Path.Combine(staging, "first.txt"), "first"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "first.txt")), Is.EqualTo("first"));
        Assert.That(Directory.EnumerateDirectories(Work, ".*", SearchOption.AllDirectories), Is.Empty, "no staging folder left");
    }

    [Test]
    public void AUsersFilesInsideVirtSimsSubfoldersAreKeptAndOnlyListedFilesReplaced()
    {
        string outDir = Path.Combine(Work, "res");
        Write(outDir, force: false, ("vms/summary.json", "old"), ("fn/plots/p.png", "old"), ("fn/only-before.csv", "old"));
        File.WriteAllText(Path.Combine(outDir, "vms", "NOTES.md"), "mine");
        File.WriteAllText(Path.Combine(outDir, "fn", "plots", "p.txt"), "mine");
        var refused = Assert.Throws<OutputFolderException>(() => OutputFolder.Prepare(outDir));
        Assert.That(refused!.Message, Does.Contain("holds files VirtSim did not write (fn/plots/p.txt, vms/NOTES.md)"));

        Write(outDir, force: true, ("vms/summary.json", "new"), ("fn/plots/p.png", "new"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "vms", "NOTES.md")), Is.EqualTo("mine"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "fn", "plots", "p.txt")), Is.EqualTo("mine"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "vms", "summary.json")), Is.EqualTo("new"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "fn", "plots", "p.png")), Is.EqualTo("new"));
        Assert.That(File.Exists(Path.Combine(outDir, "fn", "only-before.csv")), Is.False, "VirtSim's own earlier file goes");
        Assert.That(File.ReadAllLines(Path.Combine(outDir, OutputFolder.MarkerFile)).Where(l => !l.StartsWith('#')),
            Is.EqualTo(new[] { "fn/", "fn/plots/", "fn/plots/p.png", "vms/", "vms/summary.json" }));
    }

    [Test]
    public void AMarkerThatIsNotARegularFileIsRefusedAndWhatItHoldsKept()
    {
        string outDir = Path.Combine(Work, "out");
        Directory.CreateDirectory(Path.Combine(outDir, OutputFolder.MarkerFile));
        File.WriteAllText(Path.Combine(outDir, OutputFolder.MarkerFile, "thesis.tex"), "mine");
        var (code, _, errors) = Virtsim("run", Mm1, "--out", outDir, "--replications", "2", "--force");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(".virtsim-results there is not a regular file"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, OutputFolder.MarkerFile, "thesis.tex")), Is.EqualTo("mine"));
    }

    [Test]
    public void VirtSimsOwnLongFileNamesStayItsOwn()
    {
        // A sweep's plot may be named longer than the 100 characters a declared name may have.
        string outDir = Path.Combine(Work, "out");
        string plot = "sweep-" + new string('p', 114) + ".png";
        Write(outDir, force: false, (plot, "old"));
        Assert.DoesNotThrow(() => Write(outDir, force: false, (plot, "new")), "the second run finds only its own files");
        Assert.That(File.ReadAllText(Path.Combine(outDir, plot)), Is.EqualTo("new"));
    }

    private sealed class Killed : Exception;

    /// <summary>A commit killed before each of its steps in turn: the next run finishes it, or finds it never began, and never refuses the folder.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public void ACommitKilledAtAnyStepIsFinishedOrUndoneByTheNextRun(bool folderExists)
    {
        (string, string)[] before = [("a.txt", "old"), ("sub/b.txt", "old"), ("gone/g.txt", "old")];
        (string, string)[] after = [("a.txt", "new"), ("sub/b.txt", "new"), ("sub/c.txt", "new"), ("more/d.txt", "new")];
        bool finishedUnharmed = false;
        for (int kill = 0; !finishedUnharmed; kill++)
        {
            Assert.That(kill, Is.LessThan(100), "a commit has fewer steps than that");
            string outDir = Path.Combine(Work, $"out-{kill}");
            if (folderExists)
            {
                Write(outDir, force: false, before);
                File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
            }
            var folder = OutputFolder.Prepare(outDir, force: true);
            folder.BeforeStep = step =>
            {
                if (step == kill)
                {
                    throw new Killed();
                }
            };
            try
            {
                folder.Commit(staging => Fill(staging, after));
                finishedUnharmed = true;
            }
            catch (Killed)
            {
                folder.Abandon(); // The process died: its lock is gone, its files stay as they were.
            }
            using (OutputFolder.Prepare(outDir, force: true))
            {
                // The next run prepares the folder: it recovers what the killed one left, and is not refused.
            }
            bool isNew = Directory.Exists(outDir) && File.Exists(Path.Combine(outDir, "more", "d.txt"));
            if (Directory.Exists(outDir))
            {
                var expected = isNew ? after : folderExists ? before : [];
                var files = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/'))
                    .Where(f => f is not (OutputFolder.MarkerFile or "notes.txt")).Order(StringComparer.Ordinal);
                Assert.That(files, Is.EqualTo(expected.Select(e => e.Item1).Order(StringComparer.Ordinal)), $"killed before step {kill}");
                foreach (var (path, text) in expected)
                {
                    Assert.That(File.ReadAllText(Path.Combine(outDir, path)), Is.EqualTo(text), $"killed before step {kill}: {path}");
                }
                Assert.That(Directory.EnumerateDirectories(outDir, ".*"), Is.Empty, $"killed before step {kill}: no staging folder left");
                Assert.That(Directory.Exists(Path.Combine(outDir, "gone")), Is.EqualTo(!isNew), $"killed before step {kill}: VirtSim's emptied folder goes");
            }
            else
            {
                Assert.That(folderExists, Is.False, $"killed before step {kill}: the folder cannot vanish");
            }
            if (folderExists)
            {
                Assert.That(isNew, Is.True, $"killed before step {kill}: a journaled commit is always finished");
                Assert.That(File.ReadAllText(Path.Combine(outDir, "notes.txt")), Is.EqualTo("mine"));
            }
            Assert.That(Directory.EnumerateDirectories(Work, ".*"), Is.Empty, $"killed before step {kill}: no staging folder beside");
        }
    }

    private static void Write(string outDir, bool force, params (string Path, string Text)[] files)
    {
        using var folder = OutputFolder.Prepare(outDir, force);
        folder.Commit(staging => Fill(staging, files));
    }

    private static void Fill(string staging, (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            string full = Path.Combine(staging, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    [Test]
    public void ATraceIsNeverWrittenOverADeviceEvenWithForce()
    {
        var (code, _, errors) = Virtsim("run", Mm1, "--out", Path.Combine(Work, "out"), "--replications", "2", "--trace", "/dev/null", "--force");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("/dev/null: error: is a device, pipe or socket; --trace writes only regular files"));
        Assert.That(FileKind.Of("/dev/null"), Is.EqualTo(FileKind.Kind.Special));
        Assert.That(Directory.Exists(Path.Combine(Work, "out")), Is.False);
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
