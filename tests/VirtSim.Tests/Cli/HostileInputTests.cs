using System.Text.RegularExpressions;

namespace VirtSim.Tests.Cli;

/// <summary>
/// The hostile-input corpus (<c>tests/VirtSim.Tests/Hostile</c>): files that once ran away with
/// memory, crashed, wrote outside their folder or "succeeded" with an impossible setup. Each names
/// on its first line the message it must get; every one must end in that one line with file, line
/// and column, exit code 2, no stack trace and nothing written, from validate as from run or compare.
/// </summary>
public partial class HostileInputTests
{
    private static string Corpus => Path.Combine(Repository.Root, "tests", "VirtSim.Tests", "Hostile");

    private static IEnumerable<TestCaseData> Cases() =>
        Directory.EnumerateFiles(Path.Combine(FindCorpus(), ""), "*.yaml").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetName($"HostileInputIsRefused({Path.GetFileNameWithoutExtension(path)})"));

    // TestCaseSource runs before a test context exists: find the corpus from the assembly's folder.
    private static string FindCorpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, "tests", "VirtSim.Tests", "Hostile");
    }

    [GeneratedRegex(@"^# expect: (.+)$", RegexOptions.Multiline)]
    private static partial Regex Expectation();

    [GeneratedRegex(@"^[^\n]+\.(yaml|csv)(:\d+:\d+)?: error: [^\n]+\n?$")]
    private static partial Regex OneMessage();

    [TestCaseSource(nameof(Cases))]
    public void HostileInputIsRefused(string name)
    {
        string file = Path.Combine(Corpus, name);
        string expected = Expectation().Match(File.ReadLines(file).First()).Groups[1].Value;
        Assert.That(expected, Is.Not.Empty, "the file's first line says what it must get");

        var (code, _, errors) = Virtsim.Run("validate", file);
        Assert.That(code, Is.EqualTo(2), errors);
        Assert.That(errors, Does.Match(OneMessage()), "one line: file[:line:column]: error: what was expected");
        Assert.That(errors, Does.Contain(expected));
        Assert.That(errors, Does.Not.Contain("   at "), "no stack trace");

        string outDir = Path.Combine(Path.GetTempPath(), "virtsim-hostile-" + Guid.NewGuid().ToString("N"));
        string command = File.ReadAllText(file).Contains("\ncompare:", StringComparison.Ordinal) ? "compare" : "run";
        var (runCode, output, runErrors) = Virtsim.Run(command, file, "--out", outDir);
        Assert.That(runCode, Is.EqualTo(2), runErrors);
        Assert.That(runErrors, Is.EqualTo(errors), $"{command} refuses it as validate does");
        Assert.That(output, Is.Empty);
        Assert.That(Directory.Exists(outDir), Is.False, "nothing written");
    }

    [Test]
    public void TheCorpusCoversEveryClassOfTheReliabilityIssue()
    {
        var names = Directory.EnumerateFiles(Corpus, "*.yaml").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(70));
        foreach (string kind in new[] { "rate-1e30", "1e300", "nested", "alias", "larger-than", "duplicate", "path", "dot-dot", "ping",
                     "unicode-digit", "encoding-", "metric-misspelt", "two-paths-one-value", "deployment-named", "300-bytes", "tab-in",
                     "alias-undeclared", "function-twice", "start-after-the-end", "layers-over", "bins", "vm-group-named" })
        {
            Assert.That(names, Has.Some.Contains(kind), kind);
        }
    }

}
