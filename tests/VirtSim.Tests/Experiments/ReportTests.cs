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
        var comparison = ShortComparison.Load("compare-load-sweep.yaml", duration: 120, warmup: 30) with { SweepRates = [10, 100, 200] };
        var sweep = SweepRunner.Run(comparison, new RunOptions(Replications: 2));
        return (sweep, SweepRunner.Crossovers(sweep));
    }

    [Test]
    public void TheComparisonReportListsEveryDeploymentAndTheSourcesOfItsDefaults()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 120, warmup: 60);
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 2));
        string html = ComparisonReport.Html(result, [], "name: <scenario & text>");
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
        var (sweep, crossovers) = ShortSweep();
        var root = Rendered(directory => ComparisonWriter.Write(sweep, crossovers, directory, File.ReadAllText(SweepExample)));
        // Crossovers are a list; tables: one per crossover measure, and the sources.
        Assert.That(root.GetProperty("tables").GetInt32(), Is.EqualTo(SweepRunner.CrossoverMeasures.Count() + 1));
        var headers = root.GetProperty("headers").EnumerateArray().Select(h => h.GetString()).ToList();
        foreach (var (name, kind, _) in sweep.Comparison.Deployments)
        {
            Assert.That(headers, Does.Contain($"{name} ({kind})"));
        }
        Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(2));
        var decoded = root.GetProperty("decoded").EnumerateArray().Select(d => (d[0].GetInt32(), d[1].GetInt32())).ToList();
        // Latency in three panels of 360 pixels each, cost in one plot.
        Assert.That(decoded, Is.EqualTo(new[] { (900, 3 * 360), (900, 560) }), "both plots decode at their size");
        Assert.That(root.GetProperty("external").GetInt32(), Is.Zero, "self-contained: nothing loaded from elsewhere");
    }

    [Test]
    public void ChromiumRendersTheComparisonReportWithItsTableAndPlots()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 120, warmup: 60);
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 2, Timeline: true));
        var root = Rendered(directory => ComparisonWriter.Write(result, directory, File.ReadAllText(Path.Combine(Repository.Examples, "compare-web-api.yaml"))));
        var headers = root.GetProperty("headers").EnumerateArray().Select(h => h.GetString()).ToList();
        foreach (var (name, kind, _) in comparison.Deployments)
        {
            Assert.That(headers, Does.Contain($"{name} ({kind})"));
        }
        // Every measure is a row the browser laid out, with a cell per deployment after measure and unit.
        var rows = root.GetProperty("rows").EnumerateArray().ToDictionary(r => r[0].GetString()!, r => r[1].GetInt32());
        foreach (string measure in ComparisonRunner.MeasureNames)
        {
            Assert.That(rows.GetValueOrDefault(measure), Is.EqualTo(2 + comparison.Deployments.Count), measure);
        }
        // The start-up timeline and the instances over time, decoded at their size.
        var decoded = root.GetProperty("decoded").EnumerateArray().Select(d => (d[0].GetInt32(), d[1].GetInt32())).ToList();
        Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(2));
        Assert.That(decoded, Is.EqualTo(new[] { (900, 560), (900, 560) }));
        Assert.That(root.GetProperty("external").GetInt32(), Is.Zero, "self-contained: nothing loaded from elsewhere");
    }

    /// <summary>
    /// Writes a report with <paramref name="write"/>, opens it in headless Chromium and returns
    /// what the browser made of it: tables, header cells, rows (first cell and cell count), images
    /// and which of them decoded at what size, and elements loaded from elsewhere.
    /// </summary>
    private static JsonElement Rendered(Action<string> write)
    {
        string? chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.That(chromium, Is.Not.Null, "this test needs Debian's chromium package (apt-get install -y chromium); .ci/run installs it");
        string directory = Path.Combine(Path.GetTempPath(), $"virtsim-report-{Guid.NewGuid():N}");
        try
        {
            write(directory);
            // A probe the test appends, not part of the report: once the page has loaded, it
            // records what the browser made of it where --dump-dom can show it.
            string page = Path.Combine(directory, "probed.html");
            File.WriteAllText(page, File.ReadAllText(Path.Combine(directory, ComparisonReport.File)) + """
                <script>window.addEventListener('load', () => {
                  const images = [...document.images];
                  document.body.setAttribute('data-probe', JSON.stringify({
                    tables: document.querySelectorAll('table').length,
                    headers: [...document.querySelectorAll('th')].map(th => th.textContent),
                    rows: [...document.querySelectorAll('tr')].filter(tr => tr.cells[0].tagName === 'TD').map(tr => [tr.cells[0].textContent, tr.cells.length]),
                    images: images.length,
                    decoded: images.filter(i => i.complete && i.naturalWidth > 0).map(i => [i.naturalWidth, i.naturalHeight]),
                    external: [...document.querySelectorAll('[src]')].filter(e => !e.getAttribute('src').startsWith('data:')).length }));
                });</script>
                """);
            string dom = Chromium(chromium!, page, Path.Combine(directory, "profile"));
            var match = System.Text.RegularExpressions.Regex.Match(dom, "data-probe=\"([^\"]*)\"");
            Assert.That(match.Success, $"the page's load handler did not run; Chromium printed: {dom[..Math.Min(dom.Length, 500)]}");
            using var probe = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            return probe.RootElement.Clone();
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static string Chromium(string chromium, string page, string profile) =>
        ExternalProcess.Run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri],
            TimeSpan.FromSeconds(60)).Output;
}

public class StartupTimelineTests
{
    [Test]
    public void TheTimelineDrawsEachVmPhaseForAsLongAsTheHardwareTakes()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 120, warmup: 60);
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 1, Timeline: true));
        var plot = ComparisonPlots.StartupTimeline(result);
        Assert.That(plot, Is.Not.Null);
        // The legend speaks words ("transferring image"); the checks below name the model's phases.
        var series = plot!.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>()
            .ToDictionary(b => ComparisonPlots.StartupPhases.Single(p => ComparisonPlots.PhaseInWords(p) == b.LegendText), b => b.Bars);
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>().Select(b => b.LegendText),
            Has.Some.EqualTo("loading OS").And.None.Matches("[A-Z][a-z]+[A-Z]"), "no code names in the legend");
        Assert.That(plot.Axes.Title.Label.Text, Does.StartWith("Start-up timeline"));
        Assert.That(plot.Axes.Bottom.Label.Text, Is.EqualTo("Time since requested [s]"));
        Assert.That(series.Keys, Is.SubsetOf(ComparisonPlots.StartupPhases));

        // The four VMs share one type-1 host. One copies the 4 GB image over the 10 Gb/s link at
        // 90% efficiency while the others wait for it; then each reads 1 GB through the host's
        // one disk (500 MB/s at the hypervisor's 86% I/O efficiency) alongside the others, and
        // starts its OS for 20 s at 1/1.10 of native speed.
        Assert.That(series["TransferringImage"], Has.Count.EqualTo(1));
        Assert.That(Length(series["TransferringImage"][0]), Is.EqualTo(4e9 * 8 / (10e9 * 0.9)).Within(0.01));
        Assert.That(series["WaitingForImage"], Has.Count.EqualTo(3));
        Assert.That(series["LoadingOs"].Select(Length), Has.All.EqualTo(4 * 1e9 / (500e6 * 0.86)).Within(0.05));
        Assert.That(series["StartingOs"].Select(Length), Has.All.EqualTo(20 * 1.10).Within(0.01));
        Assert.That(series["StartingOs"].Select(b => b.Position).Distinct().Count(), Is.EqualTo(4), "one lane per VM");

        // The four containers land on one node, which pulls the image once over its 10 Gb/s link
        // at 90% (1.125 GB/s): both layers download together, the 30 MB one done at
        // 2 × 30 MB / 1.125 GB/s = 0.0533 s, the 200 MB one at 230 MB / 1.125 GB/s = 0.2044 s.
        // Layers unpack one at a time at 100 MB/s, bottom first: the 200 MB base from 0.2044 s
        // (2 s), then the 30 MB layer on it (0.3 s). containerd then starts the containers in 0.3 s.
        Assert.That(series["Pulling"], Has.Count.EqualTo(4));
        Assert.That(series["Pulling"].Select(Length), Has.All.EqualTo(0.2044 + 2.0 + 0.3).Within(0.01));
        Assert.That(series["Starting"].Select(Length), Has.All.EqualTo(0.3).Within(1e-9));

        // A cold start of the function (on the provider's platform, no container to wait for)
        // initializes the runtime (300 ms) and the function (400 ms).
        Assert.That(series.ContainsKey("WaitingForContainer"), Is.False);
        Assert.That(series["Initializing"], Has.Count.InRange(1, ComparisonPlots.LanesPerKind));
        Assert.That(series["Initializing"].Select(Length), Has.All.EqualTo(0.7).Within(1e-9));
        Assert.That(series.Values.SelectMany(b => b).Min(b => b.ValueBase), Is.Zero, "every lane starts at its own request");
    }

    private static double Length(ScottPlot.Bar bar) => bar.Value - bar.ValueBase;
}

public class InstancesOverTimeTests
{
    [Test]
    public void VmsHoldTheirReplicasWhileTheFunctionScalesToZeroBetweenBursts()
    {
        var comparison = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, "compare-bursty.yaml"));
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 1, Timeline: true));
        var plot = ComparisonPlots.InstancesOverTime(result);
        Assert.That(plot, Is.Not.Null);
        Assert.That(plot!.Axes.Bottom.Label.Text, Is.EqualTo("Time since the run began [min]"));
        Assert.That(plot.Axes.Left.Label.Text, Is.EqualTo("Instances running [count]"));
        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToDictionary(s => s.LegendText, s => s.Data.GetScatterPoints());
        Assert.That(lines.Keys, Is.EquivalentTo(new[] { "vms (VMs)", "containers (containers)", "functions (functions), busy", "functions (functions), kept warm" }),
            "a function's busy and kept-warm instances apart");
        // The warm-up shaded (5 minutes), counts in whole numbers from zero.
        var span = plot.GetPlottables().OfType<ScottPlot.Plottables.HorizontalSpan>().Single();
        Assert.That((span.X1, span.X2), Is.EqualTo((0.0, 5.0)));
        Assert.That(span.LegendText, Does.Contain("warm-up"));
        Assert.That(plot.Axes.Left.Range.Min, Is.Zero);
        Assert.That(((ScottPlot.TickGenerators.NumericAutomatic)plot.Axes.Left.TickGenerator).IntegerTicksOnly, Is.True);

        // The file asks for two VM replicas: none at the start, two once booted (~30 s), to the end.
        var vms = lines["vms (VMs)"];
        Assert.That(vms[0].Y, Is.Zero);
        Assert.That(vms[^1].Y, Is.EqualTo(2));
        Assert.That(vms.First(p => p.Y == 2).X * 60, Is.InRange(20, 60));
        Assert.That(vms[^1].X, Is.EqualTo((5 + 8 * 60) * 1.0).Within(1e-9), "the line runs to the end of warm-up plus measurement");

        // Two pods too, running within seconds (a 170 MB image and a container start).
        var pods = lines["containers (containers)"];
        Assert.That(pods[0].Y, Is.Zero);
        Assert.That(pods[^1].Y, Is.EqualTo(2));
        Assert.That(pods.First(p => p.Y == 2).X * 60, Is.InRange(0.5, 5));

        // Quiet spells longer than the 1-minute keep-alive leave no instance at all.
        var busy = lines["functions (functions), busy"];
        var warm = lines["functions (functions), kept warm"];
        Assert.That((busy[0].X, busy[0].Y, warm[0].Y), Is.EqualTo((0.0, 0.0, 0.0)), "nothing provisioned: no instance before the first call");
        Assert.That(busy.Zip(warm).Min(p => p.First.Y + p.Second.Y), Is.Zero, "quiet spells leave no instance at all");
        Assert.That(busy.Max(p => p.Y), Is.GreaterThanOrEqualTo(1));
        Assert.That(warm.Max(p => p.Y), Is.GreaterThanOrEqualTo(1), "instances kept warm after their call: the keep-alive");
    }
}

public class ReportDefaultsTests
{
    [Test]
    public void TheReportListsTheFunctionDefaultsTheModelUses()
    {
        var rows = VirtSim.Experiments.Results.ComparisonReport.DefaultSources.ToDictionary(r => r.Parameter, r => r.Value);
        Assert.That(rows["function memory and time limit"], Is.EqualTo("128 MiB, 3 s"));
        Assert.That(rows["function runtime and code initialization"], Is.EqualTo("0.25 s + 0.25 s"));
        Assert.That(rows["function instance storage / network on the provider"], Is.EqualTo("125 MB/s / 600 Mb/s"));
        Assert.That(rows["function instance vCPUs on engines"], Is.EqualTo("one per 1769 MiB of memory"));
    }
}

public class PlotFilesTests
{
    [Test]
    public void EveryPlotHasAnSvgBesideItsPngThatParsesAndCarriesItsWords()
    {
        var comparison = ShortComparison.Load("compare-load-sweep.yaml", duration: 120, warmup: 30) with { SweepRates = [10, 150] };
        var sweep = SweepRunner.Run(comparison, new RunOptions(Replications: 2));
        string folder = Path.Combine(Path.GetTempPath(), $"virtsim-plots-{Guid.NewGuid():N}");
        try
        {
            ComparisonWriter.Write(sweep, SweepRunner.Crossovers(sweep), folder, "");
            foreach (string png in new[] { ComparisonWriter.LatencyPlotFile, ComparisonWriter.CostPlotFile })
            {
                string svg = Path.Combine(folder, ComparisonWriter.SvgOf(png));
                Assert.That(File.Exists(Path.Combine(folder, png)) && File.Exists(svg), png);
                var document = System.Xml.Linq.XDocument.Load(svg);
                Assert.That(document.Root!.Name.LocalName, Is.EqualTo("svg"));
                Assert.That(document.ToString(), Does.Contain("Arrival rate"), "text is drawn as text");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
