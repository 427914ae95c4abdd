using System.Diagnostics;

namespace VirtSim.Tests.Cli;

/// <summary>
/// SIGTERM (how Slurm and Kubernetes end a job early) and SIGHUP (a closed terminal) stop a run as
/// Ctrl-C does: one line, exit 128 + the signal's number, nothing written. The real program in a
/// process of its own, since a signal reaches a process, not a call.
/// </summary>
[NonParallelizable]
public class SignalTests : WithWorkFolder
{
    [TestCase("TERM", 143)]
    [TestCase("HUP", 129)]
    public void ASignalStopsARunWithOneLineAndNothingWritten(string signal, int exitCode)
    {
        string outDir = Path.Combine(Work, "out");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "virtsim.dll"), "run", Path.Combine(Repository.Examples, "mm1.yaml"),
                     "--replications", "100000", "--parallelism", "1", "--out", outDir })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // The staging folder appears once the folder is checked, before the first replication runs.
        var watch = Stopwatch.StartNew();
        while (!Directory.EnumerateDirectories(Work, ".out.partial-*").Any())
        {
            Assert.That(process.HasExited, Is.False, () => errors.Result);
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "the run never started");
            Thread.Sleep(20);
        }
        Thread.Sleep(300); // Into the simulation.
        var (killCode, _, killErrors) = ExternalProcess.Run("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.That(killCode, Is.Zero, killErrors);
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the run did not stop within 60 s of the signal");
        }
        Assert.That(process.ExitCode, Is.EqualTo(exitCode));
        Assert.That(errors.Result, Does.EndWith("virtsim: cancelled; nothing was written" + Environment.NewLine));
        Assert.That(output.Result, Does.Not.Contain("± 95%"));
        Assert.That(Directory.EnumerateFileSystemEntries(Work), Is.Empty, "no results and no staging folder");
    }
}
