using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>The HTML report, checked as a browser sees it: Debian's headless Chromium.</summary>
public class ReportTests
{
    private static readonly string SweepExample = Path.Combine(Repository.Examples, "compare-load-sweep.yaml");

    private static (SweepResult Sweep, IReadOnlyList<Crossover> Crossovers) ShortSweep()
    {
        var comparison = ComparisonReader.LoadFile(SweepExample);
        comparison = comparison with
        {
            Deployments = comparison.Deployments.Select(d => (d.Name, d.Kind, d.Scenario with { Duration = 120, Warmup = 30 })).ToList(),
            SweepRates = [10, 100, 200],
        };
        var sweep = SweepRunner.Run(comparison, new RunOptions(Replications: 2));
        return (sweep, SweepRunner.Crossovers(sweep));
    }

    [Test]
    public void TheComparisonReportListsEveryDeploymentAndTheSourcesOfItsDefaults()
    {
        var comparison = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, "compare-web-api.yaml"));
        comparison = comparison with
        {
            Deployments = comparison.Deployments.Select(d => (d.Name, d.Kind, d.Scenario with { Duration = 120, Warmup = 60 })).ToList(),
        };
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 2));
        string html = ComparisonReport.Html(result, "name: <scenario & text>");
        foreach (var (name, kind, _) in comparison.Deployments)
        {
            Assert.That(html, Does.Contain($"<th>{name} ({kind})</th>"));
        }
        foreach (string measure in ComparisonRunner.MeasureNames)
        {
            Assert.That(html, Does.Contain($"<tr><td>{WebUtility.HtmlEncode(measure)}</td>"), measure);
        }
        Assert.That(html, Does.Contain("AWS Lambda").And.Contain("Mao and Humphrey"));
        Assert.That(html, Does.Contain("name: &lt;scenario &amp; text&gt;"), "the scenario is shown, escaped");
    }

    [Test]
    public void ChromiumRendersTheSweepReportWithItsTablesAndBothPlots()
    {
        string? chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.That(chromium, Is.Not.Null, "this test needs Debian's chromium package (apt-get install -y chromium); .ci/run installs it");

        var (sweep, crossovers) = ShortSweep();
        string directory = Path.Combine(Path.GetTempPath(), $"virtsim-report-{Guid.NewGuid():N}");
        try
        {
            ComparisonWriter.Write(sweep, crossovers, directory, File.ReadAllText(SweepExample));
            // A probe the test appends, not part of the report: once the page has loaded, it
            // records what the browser made of it where --dump-dom can show it.
            string page = Path.Combine(directory, "probed.html");
            File.WriteAllText(page, File.ReadAllText(Path.Combine(directory, ComparisonReport.File)) + """
                <script>window.addEventListener('load', () => {
                  const images = [...document.images];
                  document.body.setAttribute('data-probe', JSON.stringify({
                    tables: document.querySelectorAll('table').length,
                    headers: [...document.querySelectorAll('th')].map(th => th.textContent),
                    images: images.length,
                    decoded: images.filter(i => i.complete && i.naturalWidth > 0).map(i => [i.naturalWidth, i.naturalHeight]),
                    external: [...document.querySelectorAll('[src]')].filter(e => !e.getAttribute('src').startsWith('data:')).length }));
                });</script>
                """);
            string dom = Chromium(chromium!, page, Path.Combine(directory, "profile"));
            var match = System.Text.RegularExpressions.Regex.Match(dom, "data-probe=\"([^\"]*)\"");
            Assert.That(match.Success, $"the page's load handler did not run; Chromium printed: {dom[..Math.Min(dom.Length, 500)]}");
            using var probe = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = probe.RootElement;
            // Crossovers are a list; tables: one per crossover measure, and the sources.
            Assert.That(root.GetProperty("tables").GetInt32(), Is.EqualTo(SweepRunner.CrossoverMeasures.Count() + 1));
            var headers = root.GetProperty("headers").EnumerateArray().Select(h => h.GetString()).ToList();
            foreach (var (name, kind, _) in sweep.Comparison.Deployments)
            {
                Assert.That(headers, Does.Contain($"{name} ({kind})"));
            }
            Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(2));
            var decoded = root.GetProperty("decoded").EnumerateArray().Select(d => (d[0].GetInt32(), d[1].GetInt32())).ToList();
            Assert.That(decoded, Is.EqualTo(new[] { (900, 560), (900, 560) }), "both plots decode at their size");
            Assert.That(root.GetProperty("external").GetInt32(), Is.Zero, "self-contained: nothing loaded from elsewhere");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static string Chromium(string chromium, string page, string profile)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(true);
            Assert.Fail("Chromium did not finish within 60 s");
        }
        _ = error.Result;
        return dom;
    }
}
