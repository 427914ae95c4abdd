using System.Text.Json;
using System.Text.RegularExpressions;
using VirtSim.Experiments.Results;

namespace VirtSim.Tests.Cli;

/// <summary>VirtSim is a versioned tool: it says its version, stamps it on what it writes, and installs with `dotnet tool`.</summary>
[Category("Slow")]
public class PackagingTests : WithWorkFolder
{
    // Semantic versioning 2.0: major.minor.patch, an optional pre-release, optional build metadata.
    private static readonly Regex SemVer = new(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$");

    [Test]
    public void TheVersionIsSemanticAndNamesTheCommit()
    {
        var (code, output, _) = Virtsim.Run("--version");
        Assert.That(code, Is.Zero);
        Assert.That(output.Trim(), Is.EqualTo(VirtSimVersion.Informational));
        Assert.That(VirtSimVersion.Informational, Does.Match(SemVer));
        Assert.That(VirtSimVersion.Version, Does.Not.Contain("+").And.Not.EqualTo("0.0.0"));
        // Built from a git clone, the build knows its commit.
        Assert.That(VirtSimVersion.Commit, Does.Match("^[0-9a-f]{12}$"));
    }

    [Test]
    public void TheSummarySaysWhichVersionWroteIt()
    {
        string output = Path.Combine(Work, "mm1");
        var (code, _, errors) = Virtsim.Run("run", Path.Combine(Repository.Examples, "mm1.yaml"), "--replications", "2", "--out", output);
        Assert.That(code, Is.Zero, errors);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("virtsim_version").GetString(), Is.EqualTo(VirtSimVersion.Version));
        Assert.That(summary.RootElement.GetProperty("virtsim_commit").GetString(), Is.EqualTo(VirtSimVersion.Commit));
    }

    [Test]
    public void DotnetPackFillsAFolderThatDotnetToolInstallsFrom()
    {
        // As the README says: pack into a folder, install the tool from it, run it.
        string feed = Path.Combine(Work, "artifacts"), tools = Path.Combine(Work, "tools");
        var (packCode, packOutput, packErrors) = ExternalProcess.Run("dotnet",
            ["pack", Path.Combine(Repository.Root, "Simulator.sln"), "-c", "Release", "-o", feed], TimeSpan.FromMinutes(8), Repository.Root);
        Assert.That(packCode, Is.Zero, packOutput + packErrors);
        Assert.That(Directory.GetFiles(feed, "virtsim.*.nupkg"), Has.Length.EqualTo(1));
        Assert.That(Directory.GetFiles(feed, "VirtSim.Experiments.*.nupkg"), Has.Length.EqualTo(1), "the libraries are packed beside the tool");
        var (installCode, installOutput, installErrors) = ExternalProcess.Run("dotnet",
            ["tool", "install", "virtsim", "--tool-path", tools, "--add-source", feed, "--prerelease"], TimeSpan.FromMinutes(5), Work);
        Assert.That(installCode, Is.Zero, installOutput + installErrors);
        var (code, output, errors) = ExternalProcess.Run(Path.Combine(tools, "virtsim"), ["--version"], TimeSpan.FromMinutes(1), Work);
        Assert.That(code, Is.Zero, errors);
        Assert.That(output.Trim(), Does.Match(SemVer));
        var (validateCode, validated, _) = ExternalProcess.Run(Path.Combine(tools, "virtsim"), ["validate", Path.Combine(Repository.Examples, "mm1.yaml")],
            TimeSpan.FromMinutes(1), Work);
        Assert.That(validateCode, Is.Zero);
        Assert.That(validated, Does.StartWith("ok "));
    }
}
