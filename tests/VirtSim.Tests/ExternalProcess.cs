using System.Diagnostics;

namespace VirtSim.Tests;

/// <summary>Runs a program the tests need (Chromium, Jupyter, the dotnet CLI) and collects what it printed.</summary>
internal static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/>; fails the test if it
    /// has not ended within <paramref name="timeout"/>; <paramref name="environment"/> adds
    /// variables, <paramref name="unset"/> removes some this process has.
    /// </summary>
    public static (int ExitCode, string Output, string Errors) Run(string program, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? unset = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (string name in unset ?? [])
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:F0} s");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }
}
