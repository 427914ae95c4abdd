using VirtSim.Cli;

namespace VirtSim.Tests.Cli;

/// <summary>Text is laid out for where it goes: a terminal's width, COLUMNS when set, and wide when piped, so lines are not cut at 80 columns.</summary>
public class OutputWidthTests
{
    [TestCase("120", true, 120)]
    [TestCase("120", false, 120)]
    [TestCase(null, true, VirtSimApp.RedirectedWidth)]
    [TestCase("wide", true, VirtSimApp.RedirectedWidth)]
    [TestCase("0", true, VirtSimApp.RedirectedWidth)]
    public void TheWidthComesFromColumnsThenFromWhereOutputGoes(string? columns, bool redirected, int expected) =>
        Assert.That(VirtSimApp.OutputWidth(columns, redirected), Is.EqualTo(expected));

    [Test]
    public void ATerminalWithoutColumnsKeepsItsOwnWidth() => Assert.That(VirtSimApp.OutputWidth(null, redirected: false), Is.Null);

    [Test]
    public void PipedOutputIsNotWrappedAtEightyColumns()
    {
        // The built tool as a user pipes it (into a file, grep or less): the 85-character line stays one line.
        string cli = Path.Combine(Path.GetDirectoryName(typeof(VirtSimApp).Assembly.Location)!, "virtsim.dll");
        // A folder name long enough that the line passes 80 columns wherever the clone is.
        string folder = Path.Combine(Path.GetTempPath(), "virtsim-a-folder-named-long-enough-for-a-line-past-eighty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string scenario = Path.Combine(folder, "mm1.yaml");
        File.Copy(Path.Combine(Repository.Examples, "mm1.yaml"), scenario);
        var (code, output, errors) = ExternalProcess.Run("dotnet", [cli, "validate", scenario], TimeSpan.FromMinutes(1), Repository.Root,
            new Dictionary<string, string> { ["COLUMNS"] = "" });
        Directory.Delete(folder, recursive: true);
        Assert.That(code, Is.Zero, errors);
        Assert.That(output.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(output, Does.Contain("10 replications, seed 1"));
        Assert.That($"ok {scenario}: scenario 'mm1', 10 replications, seed 1".Length, Is.GreaterThan(80), "the line would have wrapped before");
    }
}
