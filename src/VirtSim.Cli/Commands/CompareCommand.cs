using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim compare FILE</c>: one workload under several deployments, side by side.</summary>
public sealed class CompareCommand(IAnsiConsole console) : Command<RunCommand.Settings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, RunCommand.Settings settings, CancellationToken cancellationToken)
    {
        var comparison = ComparisonReader.LoadFile(settings.File, settings.Overrides);
        string scenarioText = ScenarioLoader.ReadText(settings.File);
        var options = settings.Options;
        ComparisonWriter.CheckNames(settings.File, scenarioText, comparison);
        foreach (var deployment in comparison.Deployments)
        {
            MetricNames.Check(settings.File, scenarioText, deployment.Scenario, "precision");
        }
        if (ComparisonReader.ReadSweep(settings.File, scenarioText, settings.Overrides) is { } parameterSweep)
        {
            return SweepValues(settings, parameterSweep.Sweep, parameterSweep.Points, options, cancellationToken);
        }
        if (settings.ShardValue is { } shard)
        {
            if (comparison.SweepRates is { Count: > 0 })
            {
                throw new ScenarioException(settings.File, 0, 0, "a sweep of rates is not sharded; sweep the rate as a parameter (sweep: {parameters: [{path: workload.arrivals.rate, values: [...]}]}), which shards by point");
            }
            if (options.Replications is null && comparison.Deployments.Any(d => d.Scenario.Precision is not null))
            {
                throw new ScenarioException(settings.File, 0, 0,
                    "this comparison runs replications until a precision is reached, which one shard cannot judge alone; shard it with a fixed number (--replications N)");
            }
            foreach (var scenario in SweepRunner.EveryScenario(comparison))
            {
                RunCommand.CheckBudget(settings.File, scenario, options);
            }
            if (ShardFiles.Problem(settings.Out!, shard, settings.Force) is { } problem)
            {
                throw new OutputFolderException(settings.Out!, problem);
            }
            // Every deployment's replications whose index leaves I mod N; replication 0 keeps its timeline for the plots.
            int perShard = comparison.Deployments.Sum(d => shard.Of(options.Replications ?? d.Scenario.Replications).Count());
            var part = RunProgress.Show(console, $"{comparison.Name}: shard {shard}", Math.Max(1, perShard),
                progress => ComparisonRunner.Run(comparison, options with { Timeline = true }, progress, cancellationToken));
            string path = ShardFiles.WriteComparison(part, shard, options.Seed ?? comparison.Deployments[0].Scenario.Seed, settings.File, scenarioText,
                settings.Out!, settings.Overrides);
            console.WriteLine($"{comparison.Name}: shard {shard} ran {perShard} replications over {comparison.Deployments.Count} deployments; wrote {path}");
            return 0;
        }
        foreach (var scenario in SweepRunner.EveryScenario(comparison))
        {
            RunCommand.CheckBudget(settings.File, scenario, options);
        }
        string output = settings.OutputFor(settings.File);
        if (settings.Trace is not null && comparison.SweepRates is { Count: > 0 })
        {
            throw new OutputFolderException(settings.Trace, "--trace is for one run or comparison; a load sweep has a timeline per rate (run one rate as its own comparison)");
        }
        settings.CheckTrace();
        using var folder = OutputFolder.Prepare(output, settings.Force);
        int total = comparison.Deployments.Sum(d => options.Replications ?? d.Scenario.Precision?.Max ?? d.Scenario.Replications);
        if (comparison.SweepRates is { Count: > 0 } rates)
        {
            return Sweep(comparison, options, total * rates.Count, folder, output, scenarioText, cancellationToken);
        }

        // The first replication of each deployment keeps its VM and pod phases and its cold starts for the plots.
        options = options with { Timeline = true };
        var result = RunProgress.Show(console, $"{comparison.Name}: replications", total,
            progress => ComparisonRunner.Run(comparison, options, progress, cancellationToken));
        ComparisonWriter.Write(result, folder, scenarioText, cancellationToken);
        if (settings.Trace is { } trace)
        {
            var runs = result.Runs.Select((run, d) => new TraceWriter.Run(comparison.Deployments[d].Name, run.Replications[0],
                run.Scenario.Warmup + run.Scenario.Duration)).ToList();
            TraceWriter.Write(runs, comparison.Name, trace);
        }

        var format = settings.FormatValue;
        if (format != OutputFormat.Table)
        {
            RunCommand.Print(console, format switch
            {
                OutputFormat.Markdown => ComparisonWriter.Markdown(result),
                OutputFormat.Csv => RunCommand.Text(stream => ComparisonWriter.WriteCsv(result, stream)),
                _ => RunCommand.Text(stream => ComparisonWriter.WriteJson(result, stream)) + "\n",
            });
            VirtSimApp.Errors.WriteLine($"Wrote {Path.Combine(output, ComparisonReport.File)}, {ComparisonWriter.MarkdownFile}, {ComparisonWriter.CsvFile} and one folder per deployment");
            if (settings.Trace is not null)
            {
                RunCommand.TraceWritten(console, settings);
            }
            return 0;
        }
        console.MarkupLineInterpolated($"[bold]{comparison.Name}[/] {comparison.Description}");
        console.MarkupLineInterpolated($"{result.Runs[0].Replications.Count} replications each, seed {result.Runs[0].Scenario.Seed}; the same arrivals for every deployment; mean ± 95% CI half-width");
        var table = new Table().AddColumn("Measure").AddColumn("Unit");
        foreach (var (name, kind, _) in comparison.Deployments)
        {
            table.AddColumn(new TableColumn(Markup.Escape($"{name} ({kind})")).RightAligned());
        }
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in result.Rows)
        {
            var (unit, cells) = ComparisonWriter.ReadableRow(row, notes);
            table.AddRow([Markup.Escape(row.Metric), Markup.Escape(unit), .. cells.Select(Markup.Escape)]);
        }
        console.Write(table);
        foreach (string note in notes)
        {
            console.WriteLine(note);
        }
        for (int d = 0; d < result.Runs.Count; d++)
        {
            RunCommand.ShowWarnings(console, result.Runs[d].Warnings, $"{comparison.Deployments[d].Name}: ");
        }
        console.MarkupLineInterpolated($"Wrote {Path.Combine(output, ComparisonReport.File)}, {ComparisonWriter.MarkdownFile}, {ComparisonWriter.CsvFile} and one folder per deployment");
        if (settings.Trace is not null)
        {
            console.MarkupLineInterpolated($"Wrote the trace {settings.Trace}; open it at https://ui.perfetto.dev");
        }
        return 0;
    }

    private int SweepValues(RunCommand.Settings settings, ParameterSweep sweep, IReadOnlyList<Comparison> points, RunOptions options,
        CancellationToken cancellationToken)
    {
        if (settings.Trace is not null)
        {
            throw new ScenarioException(settings.File, 0, 0, "this comparison sweeps; --trace is for one comparison: run one point with --set");
        }
        foreach (var scenario in points.SelectMany(SweepRunner.EveryScenario))
        {
            RunCommand.CheckBudget(settings.File, scenario, options);
        }
        var known = ComparisonRunner.MeasureNames.Concat(ComparisonRunner.JobMeasureNames).ToList();
        foreach (string measure in sweep.Metrics ?? [])
        {
            if (!known.Contains(measure))
            {
                throw new ScenarioException(settings.File, 0, 0, $"sweep: metrics: a comparison has no row '{measure}'{Suggest.DidYouMean(measure, [.. known])} (rows: {string.Join(", ", known)})");
            }
        }
        if (settings.ShardValue is { } shard)
        {
            // Point p runs whole in shard p mod N: no shard needs another's results.
            if (ShardFiles.Problem(settings.Out!, shard, settings.Force) is { } problem)
            {
                throw new OutputFolderException(settings.Out!, problem);
            }
            string text = ScenarioLoader.ReadText(settings.File);
            var mine = Enumerable.Range(0, points.Count).Where(p => p % shard.Count == shard.Index).ToList();
            int perPoint = points[0].Deployments.Sum(d => options.Replications ?? d.Scenario.Precision?.Max ?? d.Scenario.Replications);
            var ran = RunProgress.Show(console, $"{points[0].Name}: sweep shard {shard}", Math.Max(1, mine.Count * perPoint),
                progress => ParameterSweepRunner.RunComparisonPoints(points, mine, options, progress, cancellationToken));
            string path = ShardFiles.WriteComparisonSweep(ran, shard, options.Seed ?? points[0].Deployments[0].Scenario.Seed, options.Replications,
                settings.File, text, settings.Out!, settings.Overrides);
            console.WriteLine($"{points[0].Name}: sweep shard {shard} ran {mine.Count} of {points.Count} points; wrote {path}");
            return 0;
        }
        string output = settings.OutputFor(settings.File);
        using var folder = OutputFolder.Prepare(output, settings.Force);
        int total = points.Count * points[0].Deployments.Sum(d => options.Replications ?? d.Scenario.Precision?.Max ?? d.Scenario.Replications);
        var result = RunProgress.Show(console, $"{points[0].Name}: sweep of {points.Count} points", total,
            progress => ParameterSweepRunner.RunComparisons(sweep, points, options, progress, cancellationToken));
        var files = ParameterSweepWriter.Write(result, folder, ScenarioLoader.ReadText(settings.File), cancellationToken);
        console.MarkupLineInterpolated($"[bold]{points[0].Name}[/] sweep of {points.Count} points over {string.Join(", ", sweep.Parameters.Select(p => p.Path))}");
        var shown = sweep.Metrics is { Count: > 0 } chosen ? chosen : ParameterSweepWriter.DefaultComparisonMeasures;
        foreach (string measure in shown)
        {
            var table = new Table();
            foreach (var parameter in sweep.Parameters)
            {
                table.AddColumn(Markup.Escape(parameter.Path));
            }
            foreach (var (name, kind, _) in points[0].Deployments)
            {
                table.AddColumn(new TableColumn(Markup.Escape($"{name} ({kind})")).RightAligned());
            }
            var notes = new SortedSet<string>(StringComparer.Ordinal);
            // One unit for the whole table, chosen by its largest value, so a column reads down.
            var rows = Enumerable.Range(0, points.Count).Select(p => result.Results[p].Rows.Single(r => r.Metric == measure)).ToList();
            double largest = rows.SelectMany(r => r.Values).Select(v => Math.Abs(Readable.Magnitude(v))).DefaultIfEmpty(0).Max();
            var scale = Readable.Scale(rows[0].Unit, largest);
            table.AddColumn(new TableColumn("unit"));
            // At most 40 rows on the terminal; sweep.csv has every point.
            foreach (int p in Enumerable.Range(0, points.Count).Where(p => points.Count <= 40 || p % (int)Math.Ceiling(points.Count / 40.0) == 0))
            {
                var cells = rows[p].Values.Select(v =>
                {
                    var cell = Readable.Format(v, scale, measure);
                    return cell.Text + ResultWriter.Marks(v, cell, notes);
                });
                table.AddRow([.. result.Points[p].Select(o => Markup.Escape(o.Value)), .. cells.Select(Markup.Escape), Markup.Escape(scale.Unit)]);
            }
            table.Title = new TableTitle(Markup.Escape(measure));
            console.Write(table);
            foreach (string note in notes)
            {
                console.WriteLine(note);
            }
        }
        console.MarkupLineInterpolated($"Wrote {string.Join(", ", files.Where(f => !f.EndsWith(".svg", StringComparison.Ordinal)).Select(f => Path.Combine(output, f)))} (and an SVG beside each PNG)");
        return 0;
    }

    private int Sweep(Comparison comparison, RunOptions options, int total, OutputFolder folder, string output, string scenarioText,
        CancellationToken cancellationToken)
    {
        var sweep = RunProgress.Show(console, $"{comparison.Name}: load sweep", total,
            progress => SweepRunner.Run(comparison, options, progress, cancellationToken));
        var crossovers = SweepRunner.Crossovers(sweep);
        ComparisonWriter.Write(sweep, crossovers, folder, scenarioText, cancellationToken);
        console.MarkupLineInterpolated($"[bold]{comparison.Name}[/] load sweep over {sweep.Rates.Count} rates");
        foreach (var measure in SweepRunner.CrossoverMeasures)
        {
            var table = new Table().AddColumn(new TableColumn(Markup.Escape("Rate [1/s]")).RightAligned());
            foreach (var (name, kind, _) in comparison.Deployments)
            {
                table.AddColumn(new TableColumn(Markup.Escape($"{name} ({kind})")).RightAligned());
            }
            for (int p = 0; p < sweep.Points.Count; p++)
            {
                var row = sweep.Points[p].Row(measure);
                table.AddRow([sweep.Rates[p].ToString("G4", System.Globalization.CultureInfo.InvariantCulture), .. row.Values.Select(ComparisonWriter.Cell)]);
            }
            table.Title = new TableTitle(Markup.Escape($"{measure} [{sweep.Points[0].Row(measure).Unit}]"));
            console.Write(table);
        }
        foreach (var c in crossovers)
        {
            console.MarkupLineInterpolated($"Crossover in {c.Describe()}");
        }
        if (crossovers.Count == 0)
        {
            console.MarkupLine("No crossover within the rates swept.");
        }
        foreach (var b in SweepRunner.LatencyBreaks(sweep))
        {
            console.MarkupLineInterpolated($"Latency breaks: {b.Describe()}");
        }
        console.MarkupLineInterpolated($"Wrote {Path.Combine(output, ComparisonReport.File)}, {ComparisonWriter.MarkdownFile}, {ComparisonWriter.SweepCsvFile}, {ComparisonWriter.LatencyPlotFile} and {ComparisonWriter.CostPlotFile}");
        return 0;
    }
}
