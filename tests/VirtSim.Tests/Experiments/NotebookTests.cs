using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// The notebooks, run as a user runs them: Debian's Jupyter (jupyter-nbconvert) with the .NET
/// Interactive kernel of the repository's local tool, through the kernel spec in notebooks/kernel.
/// </summary>
[Category("Slow")]
public partial class NotebookTests
{
    /// <summary>How every notebook loads the library: the package, from the local feed <c>scripts/pack</c> fills and registers.</summary>
    private const string FeedReference = "#r \\\"nuget: VirtSim.Experiments, *-*\\\"";

    /// <summary>Packs the library into artifacts/ as the notebooks' instructions say (once for these tests).</summary>
    [OneTimeSetUp]
    public void Pack()
    {
        var (exitCode, output, errors) = ExternalProcess.Run(Path.Combine(Repository.Root, "scripts", "pack"), [], TimeSpan.FromMinutes(8), Repository.Root);
        Assert.That(exitCode, Is.Zero, $"scripts/pack failed:\n{output}{errors}");
    }

    [Test]
    public void TheComparisonNotebookRunsAndShowsItsTablePlotsAndExercise()
    {
        var cells = Execute("compare-deployments.ipynb");
        var outputs = cells.SelectMany(c => c.Outputs).ToList();
        Assert.That(outputs.Where(o => o.Type == "error").Select(o => o.Text), Is.Empty, "no cell failed");
        Assert.That(outputs.Where(o => o.Type == "stream" && o.Name == "stderr").Select(o => o.Text), Is.Empty, "no warnings");

        // The web API's table, with a column per deployment.
        string table = outputs.Single(o => o.Html.Contains("data-table=\"comparison\"", StringComparison.Ordinal)).Html;
        foreach (string header in new[] { "vms (VMs)", "containers (containers)", "functions (functions)" })
        {
            Assert.That(table, Does.Contain($"<th>{header}</th>"));
        }

        // Two plots, each a PNG of 900 x 560 pixels.
        var images = outputs.SelectMany(o => PngData().Matches(o.Html)).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.That(images, Has.Count.EqualTo(2));
        foreach (var png in images)
        {
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.That((BigEndian(png, 16), BigEndian(png, 20)), Is.EqualTo((900, 560)));
        }

        // The exercise: cold starts fall as the keep-alive grows, never below the share of gaps
        // longer than the keep-alive.
        string text = string.Concat(outputs.Where(o => o.Type == "stream" && o.Name == "stdout").Select(o => o.Text));
        var lines = KeepAliveLine().Matches(text).Select(m => (Cold: Number(m.Groups[2].Value), Bound: Number(m.Groups[3].Value))).ToList();
        Assert.That(lines, Has.Count.EqualTo(3), text);
        Assert.That(lines.Select(l => l.Cold), Is.Ordered.Descending);
        Assert.That(lines, Has.All.Matches<(double Cold, double Bound)>(l => l.Cold >= l.Bound));
    }

    [Test]
    public void TheQueueingLabFindsEveryTheoryInsideItsIntervalAndTheKneeOfTheCurve()
    {
        var outputs = Execute("queueing-lab.ipynb").SelectMany(c => c.Outputs).ToList();
        Assert.That(outputs.Where(o => o.Type == "error" || (o.Type == "stream" && o.Name == "stderr")).Select(o => o.Text), Is.Empty);
        string text = string.Concat(outputs.Where(o => o.Type == "stream" && o.Name == "stdout").Select(o => o.Text));
        var checks = CheckLine().Matches(text).Select(m => (Example: m.Groups[1].Value, Inside: m.Groups[2].Value == "inside")).ToList();
        Assert.That(checks.Select(c => c.Example), Is.EqualTo(new[] { "mm1", "md1", "mm4", "ps-cpu", "erlang-b" }), text);
        Assert.That(checks, Has.All.Matches<(string Example, bool Inside)>(c => c.Inside), text);
        // The exercise: simulated E[T] rises with the load as 1 / (1 - rho) does.
        var knee = KneeLine().Matches(text).Select(m => (Simulated: Number(m.Groups[2].Value), Theory: Number(m.Groups[3].Value))).ToList();
        Assert.That(knee, Has.Count.EqualTo(5), text);
        Assert.That(knee.Select(k => k.Simulated), Is.Ordered.Ascending);
        Assert.That(knee.Take(3), Has.All.Matches<(double Simulated, double Theory)>(k => Math.Abs(k.Simulated - k.Theory) < 0.02 * k.Theory));
    }

    private sealed record Output(string Type, string? Name, string Text, string Html);

    private sealed record Cell(IReadOnlyList<Output> Outputs);

    /// <summary>
    /// Runs <paramref name="notebook"/> (a path under <paramref name="root"/>, by default the
    /// repository's notebooks/) in Jupyter from its folder, so its relative paths hold, as a student
    /// would after <c>scripts/pack</c>; returns its code cells' outputs. The kernel gets none of this
    /// process's telemetry settings and no first-use marker: only its kernel spec may keep the
    /// .NET Interactive banner and the web host's log out of the student's console, and the test
    /// fails if either shows.
    /// </summary>
    private static List<Cell> Execute(string notebook, string? root = null, bool allowErrors = false)
    {
        string? jupyter = new[] { "/usr/bin/jupyter-nbconvert", "/usr/local/bin/jupyter-nbconvert" }.FirstOrDefault(File.Exists);
        Assert.That(jupyter, Is.Not.Null, "this test needs Debian's Jupyter (apt-get install -y jupyter-nbconvert jupyter-client); .ci/run installs it");
        RestoreKernel();
        string folder = root ?? Path.Combine(Repository.Root, "notebooks");
        string work = Path.Combine(Path.GetTempPath(), $"virtsim-notebook-{Guid.NewGuid():N}");
        string kernels = Path.Combine(work, "kernels", ".net-csharp");
        Directory.CreateDirectory(kernels);
        File.Copy(Path.Combine(Repository.Root, "notebooks", "kernel", "kernel.json"), Path.Combine(kernels, "kernel.json"));
        string copy = Path.Combine(folder, notebook);
        string source = File.ReadAllText(copy);
        Assert.That(source, Does.Contain(FeedReference), "the notebook loads the packed library from the local feed");
        Assert.That(source, Does.Not.Contain("bin/Debug"), "not a build folder");
        Assert.That(source, Does.Contain("#load").And.Contain("setup.csx"), "the notebook checks the pack first");
        string output = Path.Combine(work, "out.ipynb");
        ForgetFirstUse();
        try
        {
            var (exitCode, _, errors) = ExternalProcess.Run(jupyter!,
                ["--to", "notebook", "--execute", copy, "--output", output, "--ExecutePreprocessor.timeout=300", .. allowErrors ? ["--allow-errors"] : Array.Empty<string>()],
                TimeSpan.FromMinutes(6), Path.GetDirectoryName(copy), new Dictionary<string, string> { ["JUPYTER_PATH"] = work },
                unset: ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"]);
            Assert.That(exitCode, Is.Zero, $"nbconvert failed:\n{string.Join("\n", errors.Split('\n').Where(l => !l.StartsWith("  ", StringComparison.Ordinal)))}");
            Assert.That(errors, Does.Not.Contain("Telemetry").And.Not.Contain("info: Microsoft"), "the kernel's console: no banner, no web host log");
            using var document = JsonDocument.Parse(File.ReadAllText(output));
            return document.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.GetProperty("cell_type").GetString() == "code")
                .Select(c => new Cell(c.GetProperty("outputs").EnumerateArray().Select(ReadOutput).ToList()))
                .ToList();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Removes .NET Interactive's first-use marker (an empty file in ~/.dotnet), so that a kernel
    /// spec that failed to skip the first-use banner would show it to this run.
    /// </summary>
    private static void ForgetFirstUse()
    {
        string dotnet = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet");
        if (Directory.Exists(dotnet))
        {
            foreach (string marker in Directory.GetFiles(dotnet, "*.dotnetInteractiveFirstUseSentinel"))
            {
                File.Delete(marker);
            }
        }
    }

    /// <summary>The kernel is a local tool (dotnet-tools.json): restore it, as `dotnet tool restore` would (quick once done).</summary>
    private static void RestoreKernel()
    {
        var (exitCode, _, errors) = ExternalProcess.Run("dotnet", ["tool", "restore"], TimeSpan.FromMinutes(3), Repository.Root);
        Assert.That(exitCode, Is.Zero, $"dotnet tool restore failed: {errors}");
    }

    private static Output ReadOutput(JsonElement output)
    {
        string type = output.GetProperty("output_type").GetString()!;
        string? name = output.TryGetProperty("name", out var n) ? n.GetString() : null;
        string text = output.TryGetProperty("text", out var t) ? Join(t)
            : output.TryGetProperty("evalue", out var e) ? e.GetString() ?? "" : "";
        string html = output.TryGetProperty("data", out var data) && data.TryGetProperty("text/html", out var h) ? Join(h) : "";
        return new Output(type, name, text, html);
    }

    /// <summary>Jupyter keeps multi-line text as a string or as a list of lines.</summary>
    private static string Join(JsonElement text) =>
        text.ValueKind == JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(l => l.GetString())) : text.GetString() ?? "";

    private static int BigEndian(byte[] bytes, int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex PngData();

    [GeneratedRegex(@"keep-alive (\d+) min: cold ([0-9.]+) \(theory: at least ([0-9.]+)\)")]
    private static partial Regex KeepAliveLine();

    [GeneratedRegex(@"^([a-z0-9-]+): \w+ simulated .* (inside|OUTSIDE) the 95% interval", RegexOptions.Multiline)]
    private static partial Regex CheckLine();

    [GeneratedRegex(@"rho ([0-9.]+): E\[T\] simulated ([0-9.]+) ± [0-9.]+ s, theory ([0-9.]+) s")]
    private static partial Regex KneeLine();
}
