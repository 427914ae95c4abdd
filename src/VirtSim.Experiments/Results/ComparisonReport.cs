using System.Globalization;
using System.Net;
using System.Text;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Results;

/// <summary>
/// <c>report.html</c>: one self-contained page summarising a comparison or a sweep (the
/// scenario, the table, the plots embedded as PNG data and the parameters with the sources of
/// their defaults), to open in any browser or attach to a review without its folder.
/// </summary>
public static class ComparisonReport
{
    /// <summary>The report's file name.</summary>
    public const string File = "report.html";

    // The provider platform's defaults, read from its spec (declared before the list that uses it).
    private static readonly FunctionPlatformSpec ProviderPlatform = new([], null, ThrottlePolicy.Reject, FunctionPricing.Default);

    /// <summary>The defaults a comparison leans on and where each comes from.</summary>
    public static IReadOnlyList<(string Parameter, string Value, string Source)> DefaultSources { get; } =
    [
        ("type-1 hypervisor CPU efficiency", "1/1.10", "Microsoft BizTalk Server 2009 Hyper-V guide: give VMs 110–125% of physical CPU"),
        ("type-1 hypervisor I/O efficiency", "0.86", "KVM virtio guests: 14% fewer 4 KiB random-read IOPS and lower VM-to-VM throughput than bare metal"),
        ("type-2 hypervisor CPU / I/O efficiency", "0.80 / 0.60", "assumption (no trusted measurement at hand); override in the scenario"),
        ("emulator CPU efficiency", "1/4.1", "Shaffer, A Performance Evaluation of Operating System Emulators, Bucknell University, 2004"),
        ("VM boot", "2 s loader, 1 GB read, 20 s OS start", "Mao and Humphrey, A Performance Study on the VM Startup Time in the Cloud, IEEE CLOUD 2012 (30–50 s)"),
        ("function price", "0.0000166667 per GB-s, 0.20 per million requests, 1 ms granularity", "AWS Lambda published x86 prices, first tier"),
        ("workers per service replica", "200", "Apache Tomcat's default maxThreads"),
        ("function memory and time limit",
            FormattableString.Invariant($"{FunctionSpec.DefaultMemoryBytes / (1 << 20):G} MiB, {FunctionSpec.DefaultTimeout:G} s"), "AWS Lambda's defaults"),
        ("function runtime and code initialization",
            FormattableString.Invariant($"{FunctionSpec.DefaultRuntimeInit:G} s + {FunctionSpec.DefaultFunctionInit:G} s"), "assumption: a cold start of half a second; set both from measurements"),
        ("function instance storage / network on the provider",
            FormattableString.Invariant($"{ProviderPlatform.InstanceStorageBandwidth / 1e6:G} MB/s / {ProviderPlatform.InstanceNetworkBandwidth * 8 / 1e6:G} Mb/s"),
            "assumption: a general-purpose cloud volume's baseline; the order public measurements of Lambda report"),
        ("function instance vCPUs on engines", FormattableString.Invariant($"one per {FunctionPlatformSpec.BytesPerVcpu / (1 << 20):G} MiB of memory"),
            "AWS Lambda's memory-to-vCPU ratio"),
    ];


    /// <summary>The report of a single comparison; <paramref name="scenarioText"/> is the file it came from.</summary>
    public static string Html(ComparisonResult result, IReadOnlyList<(string Caption, byte[] Png)> plots, string scenarioText)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plots);
        var comparison = result.Comparison;
        var first = result.Runs[0].Scenario;
        var page = Begin(comparison.Name, comparison.Description);
        Paragraph(page, string.Create(CultureInfo.InvariantCulture,
            $"{result.Runs[0].Replications.Count} replications with seed {first.Seed}, {first.Duration / 3600:G4} h measured after {first.Warmup / 60:G4} min of warm-up; every deployment sees the same arrivals. Cells: mean ± half-width of the 95% confidence interval."));
        page.AppendLine("<h2>Results</h2>");
        ResultsTable(page, result);
        Figures(page, plots);
        return End(page, scenarioText);
    }

    /// <summary>The results table of <paramref name="result"/> alone, as an HTML fragment (for a notebook cell).</summary>
    public static string TableHtml(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var fragment = new StringBuilder();
        ResultsTable(fragment, result);
        return fragment.ToString();
    }

    /// <summary><paramref name="plot"/> as an HTML figure with the PNG embedded, captioned by its title (for a notebook cell).</summary>
    public static string FigureHtml(ScottPlot.Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var fragment = new StringBuilder();
        Figures(fragment, [(plot.Axes.Title.Label.Text, ComparisonPlots.Png(plot))]);
        return fragment.ToString();
    }

    private static void ResultsTable(StringBuilder page, ComparisonResult result)
    {
        var header = new List<string> { "Measure", "Unit" };
        header.AddRange(result.Comparison.Deployments.Select(d => $"{d.Name} ({d.Kind})"));
        Table(page, "comparison", header, result.Rows.Select(r => (IEnumerable<string>)[r.Metric, r.Unit, .. r.Values.Select(ComparisonWriter.Cell)]));
    }

    /// <summary>The report of a sweep: crossovers, each crossover measure by rate, and the plots.</summary>
    public static string Html(SweepResult sweep, IReadOnlyList<Crossover> crossovers, IReadOnlyList<(string Caption, byte[] Png)> plots, string scenarioText)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(crossovers);
        ArgumentNullException.ThrowIfNull(plots);
        var comparison = sweep.Comparison;
        var page = Begin($"{comparison.Name}: load sweep", comparison.Description);
        page.AppendLine("<h2>Crossovers</h2>");
        if (crossovers.Count == 0)
        {
            Paragraph(page, "None within the rates swept: the order of the deployments does not change.");
        }
        else
        {
            page.AppendLine("<ul>");
            foreach (var c in crossovers)
            {
                page.AppendLine(CultureInfo.InvariantCulture,
                    $"<li>{Encode(c.Describe())}.</li>");
            }
            page.AppendLine("</ul>");
        }
        page.AppendLine("<h2>Where latency breaks</h2>");
        page.AppendLine("<ul>");
        foreach (var b in SweepRunner.LatencyBreaks(sweep))
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"<li>{Encode(b.Describe())}.</li>");
        }
        page.AppendLine("</ul>");
        Figures(page, plots);
        foreach (var measure in SweepRunner.CrossoverMeasures)
        {
            string unit = sweep.Points[0].Row(measure).Unit;
            page.AppendLine(CultureInfo.InvariantCulture, $"<h2>{Encode(measure.Name)} [{Encode(unit)}] by arrival rate</h2>");
            var header = new List<string> { "Rate [1/s]" };
            header.AddRange(comparison.Deployments.Select(d => $"{d.Name} ({d.Kind})"));
            Table(page, measure.Name, header, sweep.Points.Select((point, p) =>
                (IEnumerable<string>)[sweep.Rates[p].ToString("G4", CultureInfo.InvariantCulture), .. point.Row(measure).Values.Select(ComparisonWriter.Cell)]));
        }
        return End(page, scenarioText);
    }

    /// <summary>
    /// The report of a sweep over any values (of a scenario or of a comparison): what was swept,
    /// the plots, and a table per chosen metric (a row per point), every number with its interval.
    /// </summary>
    public static string SweepHtml(string name, string description, ParameterSweep sweep, int points,
        IReadOnlyList<(string Metric, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)> tables,
        IReadOnlyList<(string Caption, byte[] Png)> plots, string scenarioText)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(tables);
        var page = Begin($"{name}: sweep of {points} points", description);
        Paragraph(page, sweep.Design == SweepDesign.Grid
            ? $"Every combination of {string.Join("; ", sweep.Parameters.Select(p => $"{p.Path} in {string.Join(", ", p.Values)}"))}."
            : $"A Latin hypercube sample of {points} points (seed {sweep.Seed}) over {string.Join("; ", sweep.Parameters.Select(p => $"{p.Path} in {string.Join(", ", p.Values.Take(20))}{(p.Values.Count > 20 ? ", ..." : "")}"))}.");
        Paragraph(page, "Every point runs the same seed (common random numbers); cells are the mean and the half-width of its 95% confidence interval. sweep.csv holds every point and metric.");
        Figures(page, plots);
        foreach (var (metric, columns, rows) in tables)
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"<h2>{Encode(metric)}</h2>");
            Table(page, metric, columns, rows);
        }
        return End(page, scenarioText);
    }

    private static StringBuilder Begin(string title, string description)
    {
        var page = new StringBuilder();
        page.AppendLine("<!DOCTYPE html>");
        page.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        page.AppendLine(CultureInfo.InvariantCulture, $"<title>{Encode(title)} — VirtSim report</title>");
        page.AppendLine("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em}td{text-align:right}"
            + "td:first-child,th{text-align:left}img{max-width:100%}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>");
        page.AppendLine("</head><body>");
        page.AppendLine(CultureInfo.InvariantCulture, $"<h1>{Encode(title)}</h1>");
        if (description.Length > 0)
        {
            Paragraph(page, description);
        }
        return page;
    }

    private static string End(StringBuilder page, string scenarioText)
    {
        page.AppendLine("<h2>Defaults and their sources</h2>");
        Table(page, "sources", ["Parameter", "Default", "Source"], DefaultSources.Select(s => (IEnumerable<string>)[s.Parameter, s.Value, s.Source]));
        page.AppendLine("<h2>Scenario</h2>");
        page.AppendLine(CultureInfo.InvariantCulture, $"<pre>{Encode(scenarioText)}</pre>");
        page.AppendLine(CultureInfo.InvariantCulture, $"<footer><p>Written by {Encode(VirtSimVersion.Line)}.</p></footer>");
        page.AppendLine("</body></html>");
        return page.ToString();
    }

    private static void Figures(StringBuilder page, IReadOnlyList<(string Caption, byte[] Png)> plots)
    {
        foreach (var (caption, png) in plots)
        {
            page.AppendLine(CultureInfo.InvariantCulture,
                $"<figure><img alt=\"{Encode(caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{Encode(caption)}</figcaption></figure>");
        }
    }

    private static void Paragraph(StringBuilder page, string text) => page.AppendLine(CultureInfo.InvariantCulture, $"<p>{Encode(text)}</p>");

    private static void Table(StringBuilder page, string id, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        page.AppendLine(CultureInfo.InvariantCulture, $"<table data-table=\"{Encode(id)}\"><thead><tr>");
        foreach (string cell in header)
        {
            page.Append(CultureInfo.InvariantCulture, $"<th>{Encode(cell)}</th>");
        }
        page.AppendLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            page.Append("<tr>");
            foreach (string cell in row)
            {
                page.Append(CultureInfo.InvariantCulture, $"<td>{Encode(cell)}</td>");
            }
            page.AppendLine("</tr>");
        }
        page.AppendLine("</tbody></table>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
