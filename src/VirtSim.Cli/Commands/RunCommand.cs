using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim run FILE</c>: runs the replications, prints the table, writes the results.</summary>
public sealed class RunCommand(IAnsiConsole console) : Command<RunCommand.Settings>
{
    /// <summary>Options of <c>virtsim run</c>.</summary>
    public sealed class Settings : ScenarioSettings
    {
        /// <summary>Overrides the scenario's seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Master seed (a whole number); overrides the scenario's. Same seed, same bytes.")]
        public string? Seed { get; init; }

        /// <summary>Overrides the scenario's number of replications.</summary>
        [CommandOption("--replications <N>")]
        [Description("Independent replications; overrides the scenario's.")]
        public string? Replications { get; init; }

        /// <summary>Where the results go.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for the results (run: summary.json, replications.csv; compare: report.html, comparison.md, the plots and a folder per deployment) [[default: results/<file name>]]")]
        public string? Out { get; init; }

        /// <summary>Replications run at once.</summary>
        [CommandOption("--parallelism <N>")]
        [Description("Replications run at once [[default: all cores]]. Results do not depend on it.")]
        public string? Parallelism { get; init; }

        /// <summary>Write the VM timeline of replication 0.</summary>
        [CommandOption("--timeline")]
        [Description("Also write replication 0's timelines: vm_timeline.csv and pod_timeline.csv (every phase, with start and end in seconds), cold_starts.csv, utilization.csv, function_instances.csv. compare always does.")]
        public bool Timeline { get; init; }

        /// <summary>Write replication 0's timeline as a trace for Perfetto.</summary>
        [CommandOption("--trace <FILE>")]
        [Description("Also write replication 0's timeline to FILE in the Trace Event Format, for ui.perfetto.dev or chrome://tracing: a track per host, VM, pod and node, VM and pod phases, layer pulls, cold starts. Implies --timeline.")]
        public string? Trace { get; init; }

        /// <summary>Run one shard of the replications.</summary>
        [CommandOption("--shard <I/N>")]
        [Description("Run only shard I of N (replications whose index leaves I when divided by N) and write its part to --out DIR as shard-I-of-N.json; virtsim merge DIR joins the parts into the results of the whole run, byte for byte. For Slurm arrays and Kubernetes Indexed Jobs (deploy/).")]
        public string? Shard { get; init; }

        internal Shard? ShardValue => Shard is null ? null : VirtSim.Experiments.Running.Shard.Parse(Shard);

        /// <summary>How the results are printed.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("How the results are printed on standard output: table (grouped, units that suit each number), md (Markdown), csv or json (every metric, SI units, every digit) [[default: table]]. Messages go to standard error in the last three.")]
        public string? Format { get; init; }

        internal OutputFormat FormatValue => Format switch
        {
            null or "table" => OutputFormat.Table,
            "md" or "markdown" => OutputFormat.Markdown,
            "csv" => OutputFormat.Csv,
            _ => OutputFormat.Json,
        };

        /// <summary>Replace VirtSim's results in a folder that also holds other files.</summary>
        [CommandOption("--force")]
        [Description("Write into an --out folder that holds files VirtSim did not write; even then only VirtSim's own results there are replaced.")]
        public bool Force { get; init; }

        /// <summary>Events one replication may process.</summary>
        [CommandOption("--max-events <N>")]
        [Description("Events one replication may process [[default: 1e9]]; a scenario whose arrivals alone need more is refused before it runs.")]
        public string? MaxEvents { get; init; }

        /// <summary>Memory the run may hold.</summary>
        [CommandOption("--max-memory <SIZE>")]
        [Description("Memory the run may hold, e.g. 4GiB [[default: half of the memory available]]; a run that grows past it stops with nothing written.")]
        public string? MaxMemory { get; init; }

        internal RunBudget Budget => new(
            MaxEvents is null ? RunBudget.DefaultMaxEvents : (long)double.Parse(MaxEvents, NumberStyles.Float, CultureInfo.InvariantCulture),
            MaxMemory is null ? null : (long)ParseSize(MaxMemory)!.Value);

        internal RunOptions Options => new(ReplicationsValue, SeedValue, ParallelismValue, Timeline || Trace is not null, Budget, ShardValue);

        /// <summary>Refuses a --trace file that cannot be written, before anything runs.</summary>
        internal void CheckTrace()
        {
            if (Trace is not null && TraceWriter.Problem(Trace, Force) is { } problem)
            {
                throw new OutputFolderException(Trace, problem);
            }
        }

        /// <summary>The results folder: --out, or results/ and the scenario file's name.</summary>
        internal string OutputFor(string file)
        {
            if (Out is not null)
            {
                return Out;
            }
            string name = Path.GetFileNameWithoutExtension(file);
            if (PathNames.Problem(name) is not null)
            {
                throw new OutputFolderException(file, $"the file name gives no results folder name ('{name}'); name one with --out DIR");
            }
            return Path.Combine("results", name);
        }

        internal ulong? SeedValue => Seed is null ? null : ulong.Parse(Seed, CultureInfo.InvariantCulture);

        internal int? ReplicationsValue => Replications is null ? null : int.Parse(Replications, CultureInfo.InvariantCulture);

        internal int? ParallelismValue => Parallelism is null ? null : int.Parse(Parallelism, CultureInfo.InvariantCulture);

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } overrides)
            {
                return overrides;
            }
            if (Seed is not null && !ulong.TryParse(Seed, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return ValidationResult.Error($"--seed takes a whole number from 0 to {ulong.MaxValue}, not '{Seed}'");
            }
            if (Shard is not null && ShardValue is null)
            {
                return ValidationResult.Error($"--shard takes I/N with 0 ≤ I < N, such as 0/4, not '{Shard}'");
            }
            if (Shard is not null && Out is null)
            {
                return ValidationResult.Error("--shard needs --out DIR: the folder every shard writes its part into, for virtsim merge DIR");
            }
            if (Shard is not null && Trace is not null)
            {
                return ValidationResult.Error("--trace is written by a whole run; run it without --shard");
            }
            if (Format is not null and not ("table" or "md" or "markdown" or "csv" or "json"))
            {
                return ValidationResult.Error($"--format takes table, md, csv or json, not '{Format}'{Suggest.DidYouMean(Format, ["table", "md", "csv", "json"])}");
            }
            if (!IsPositive(Replications) || ReplicationsValue > MaxReplications)
            {
                return ValidationResult.Error($"--replications takes a whole number from 1 to {MaxReplications:N0} (as a scenario file's replications), not '{Messages.Escape(Replications)}'");
            }
            if (!IsPositive(Parallelism))
            {
                return ValidationResult.Error($"--parallelism takes a whole number of 1 or more, not '{Parallelism}'");
            }
            if (MaxEvents is not null && !(double.TryParse(MaxEvents, NumberStyles.Float, CultureInfo.InvariantCulture, out double events)
                && events >= 1 && events <= long.MaxValue && events == Math.Floor(events)))
            {
                return ValidationResult.Error($"--max-events takes a whole number of 1 or more (such as 2000000000 or 2e9), not '{MaxEvents}'");
            }
            if (MaxMemory is not null && ParseSize(MaxMemory) is null)
            {
                return ValidationResult.Error($"--max-memory takes a size such as 4GiB or 500MB, not '{MaxMemory}'");
            }
            return ValidationResult.Success();
        }

        /// <summary>The most replications a run takes, the scenario reader's own bound.</summary>
        private const int MaxReplications = 1_000_000;

        private static double? ParseSize(string text) =>
            Units.TryParseSize(text, out double bytes, out _) && bytes >= 1e6 && bytes <= long.MaxValue ? bytes : null;

        private static bool IsPositive(string? text) =>
            text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1);
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioLoader.LoadFile(settings.File, settings.Overrides);
        var options = settings.Options;
        CheckBudget(settings.File, scenario, options);
        MetricNames.Check(settings.File, ScenarioLoader.ReadText(settings.File), scenario, "precision", "sweep");
        if (ScenarioLoader.ReadSweep(settings.File, ScenarioLoader.ReadText(settings.File), settings.Overrides) is { } sweep)
        {
            return RunSweep(settings, sweep.Sweep, sweep.Points, options, cancellationToken);
        }
        if (settings.ShardValue is { } shard)
        {
            if (scenario.Precision is not null && options.Replications is null)
            {
                throw new ScenarioException(settings.File, 0, 0,
                    "this scenario runs replications until a precision is reached, which one shard cannot judge alone; shard it with a fixed number (--replications N)");
            }
            return RunShard(settings, scenario, options, shard, cancellationToken);
        }
        string output = settings.OutputFor(settings.File);
        settings.CheckTrace();
        // The folder is checked (and its staging folder made) before anything runs.
        using var folder = OutputFolder.Prepare(output, settings.Force);
        int replications = options.Replications ?? scenario.Precision?.Max ?? scenario.Replications;
        string what = options.Replications is null && scenario.Precision is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"replications until ±{p.Relative * 100:G3}% (at most {p.Max})")
            : "replications";
        var result = RunProgress.Show(console, $"{scenario.Name}: {what}", replications,
            progress => ExperimentRunner.Run(scenario, options, progress, cancellationToken));
        var files = ResultWriter.Write(result, folder, cancellationToken);
        if (settings.Trace is { } trace)
        {
            TraceWriter.Write([new TraceWriter.Run(null, result.Replications[0], scenario.Warmup + scenario.Duration)], scenario.Name, trace);
        }
        Show(result, output, files, settings.FormatValue);
        if (settings.Trace is not null)
        {
            TraceWritten(console, settings);
        }
        return 0;
    }

    private int RunSweep(Settings settings, ParameterSweep sweep, IReadOnlyList<Scenario> points, RunOptions options, CancellationToken cancellationToken)
    {
        if (settings.Trace is not null)
        {
            throw new ScenarioException(settings.File, 0, 0, "this file sweeps (it has a sweep section); --trace is for one run: run one point with --set");
        }
        foreach (var point in points)
        {
            CheckBudget(settings.File, point, options);
        }
        if (settings.ShardValue is { } shard)
        {
            // A shard of a sweep runs whole points: point p is shard p mod N's, with all its
            // replications (or its whole sequential procedure): no shard needs another's results.
            if (ShardFiles.Problem(settings.Out!, shard, settings.Force) is { } problem)
            {
                throw new OutputFolderException(settings.Out!, problem);
            }
            string text = ScenarioLoader.ReadText(settings.File);
            var mine = Enumerable.Range(0, points.Count).Where(p => p % shard.Count == shard.Index).ToList();
            int each = options.Replications ?? points[0].Precision?.Max ?? points[0].Replications;
            var runs = RunProgress.Show(console, $"{points[0].Name}: sweep shard {shard}", Math.Max(1, mine.Count * each),
                progress => ParameterSweepRunner.RunPoints(points, mine, options with { Timeline = false }, progress, cancellationToken));
            string path = ShardFiles.WriteSweep(runs, shard, options.Seed ?? points[0].Seed, options.Replications, settings.File, text, settings.Out!, settings.Overrides);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{points[0].Name}: sweep shard {shard} ran {mine.Count} of {points.Count} points; wrote {path}"));
            return 0;
        }
        string output = settings.OutputFor(settings.File);
        using var folder = OutputFolder.Prepare(output, settings.Force);
        int replications = options.Replications ?? points[0].Replications;
        var result = RunProgress.Show(console, $"{points[0].Name}: sweep of {points.Count} points", points.Count * replications,
            progress => ParameterSweepRunner.Run(sweep, points, options with { Timeline = false }, progress, cancellationToken));
        // Every name in sweep.metrics is one the model measures (MetricNames.Check, before the run).
        var known = result.Runs[0].Summary.Select(m => m.Name).ToList();
        var files = ParameterSweepWriter.Write(result, folder, ScenarioLoader.ReadText(settings.File), cancellationToken);
        console.MarkupLineInterpolated($"[bold]{points[0].Name}[/] sweep of {points.Count} points ({sweep.Design switch { SweepDesign.Grid => "grid", _ => $"Latin hypercube, seed {sweep.Seed}" }}), {replications} replications each");
        var shown = sweep.Metrics is { Count: > 0 } chosen ? chosen : [known[0]];
        var table = new Table();
        foreach (var parameter in sweep.Parameters)
        {
            table.AddColumn(Markup.Escape(parameter.Path));
        }
        foreach (string metric in shown)
        {
            table.AddColumn(new TableColumn(Markup.Escape(metric)).RightAligned());
        }
        for (int p = 0; p < result.Points.Count; p++)
        {
            var cells = result.Points[p].Select(o => Markup.Escape(o.Value)).ToList();
            foreach (string metric in shown)
            {
                var summary = result.Runs[p].Summary.Single(m => m.Name == metric);
                var cell = Readable.Format(summary.Interval, summary.Unit, summary.Name);
                cells.Add(Markup.Escape($"{cell.Text} {cell.Unit}"));
            }
            table.AddRow([.. cells]);
        }
        console.Write(table);
        console.MarkupLineInterpolated($"Wrote {string.Join(", ", files.Where(f => !f.EndsWith(".svg", StringComparison.Ordinal)).Select(f => Path.Combine(output, f)))} (and an SVG beside each PNG)");
        return 0;
    }

    private int RunShard(Settings settings, Scenario scenario, RunOptions options, Shard shard, CancellationToken cancellationToken)
    {
        if (ShardFiles.Problem(settings.Out!, shard, settings.Force) is { } problem)
        {
            throw new OutputFolderException(settings.Out!, problem);
        }
        string text = ScenarioLoader.ReadText(settings.File);
        int replications = options.Replications ?? scenario.Replications;
        int mine = shard.Of(replications).Count();
        var result = RunProgress.Show(console, $"{scenario.Name}: shard {shard}", Math.Max(mine, 1),
            progress => ExperimentRunner.Run(scenario, options, progress, cancellationToken));
        string path = ShardFiles.Write(result, shard, replications, settings.File, text, settings.Out!, settings.Overrides);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario.Name}: shard {shard} ran {mine} of {replications} replications, {result.Replications.Sum(r => r.Events):N0} events; wrote {path}"));
        return 0;
    }

    /// <summary>Refuses a scenario that would need more events or memory than the budget, naming the file.</summary>
    internal static void CheckBudget(string file, Scenario scenario, RunOptions options)
    {
        int replications = options.Replications ?? scenario.Precision?.Max ?? scenario.Replications;
        int concurrent = Math.Min(replications, options.Parallelism ?? Environment.ProcessorCount);
        // A shard runs every N-th replication.
        long mine = options.Shard is { } shard ? (replications + shard.Count - 1) / shard.Count : replications;
        try
        {
            (options.Budget ?? RunBudget.Default).Check(scenario, concurrent, mine);
        }
        catch (BudgetExceededException e)
        {
            throw new ScenarioException(file, 0, 0, e.Message);
        }
    }

    internal void Show(RunResult result, string output, IReadOnlyList<string> files, OutputFormat format)
    {
        var scenario = result.Scenario;
        string wrote = $"Wrote {string.Join(", ", files.Select(f => Path.Combine(output, f)))}";
        if (format != OutputFormat.Table)
        {
            Print(console, format switch
            {
                OutputFormat.Markdown => ResultWriter.Markdown(result),
                OutputFormat.Csv => Text(stream => ResultWriter.WriteSummaryCsv(result, stream)),
                _ => Text(stream => ResultWriter.WriteSummary(result, stream)) + "\n",
            });
            foreach (string warning in result.Warnings)
            {
                VirtSimApp.Errors.WriteLine($"warning: {warning}");
            }
            VirtSimApp.Errors.WriteLine(wrote);
            return;
        }
        console.MarkupLineInterpolated($"[bold]{scenario.Name}[/] {scenario.Description}");
        console.MarkupLineInterpolated(
            $"{result.Replications.Count} replications, seed {scenario.Seed}, {Duration(scenario.Duration)} measured after {Duration(scenario.Warmup)} of warm-up, {result.Replications.Sum(r => r.Events):N0} events");
        var table = new Table().AddColumns("Metric", "Mean", "± 95%", "Unit");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        var groups = ResultGroups.Of(result.Summary, out int omitted);
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (groups.Count > 1)
            {
                table.AddRow(new Markup($"[bold]{Markup.Escape(group.Title)}[/]"), Spectre.Console.Text.Empty, Spectre.Console.Text.Empty, Spectre.Console.Text.Empty);
            }
            foreach (var (name, metric) in group.Rows)
            {
                var cell = Readable.Format(metric.Interval, metric.Unit, metric.Name);
                string marks = ResultWriter.Marks(metric.Interval, cell, notes);
                table.AddRow(Markup.Escape((groups.Count > 1 ? "  " : "") + name), cell.Mean, Markup.Escape(cell.HalfWidth + marks), Markup.Escape(cell.Unit));
            }
        }
        console.Write(table);
        foreach (string note in notes)
        {
            console.WriteLine(note);
        }
        if (omitted > 0)
        {
            console.WriteLine($"{omitted} metrics that do not apply to this run are left out; {ResultWriter.SummaryFile} has them all.");
        }
        ShowWarnings(console, result.Warnings, "");
        console.MarkupLineInterpolated($"{wrote}");
    }

    /// <summary>Writes <paramref name="text"/> to standard output as it is, without wrapping.</summary>
    internal static void Print(IAnsiConsole console, string text)
    {
        console.Profile.Out.Writer.Write(text);
        console.Profile.Out.Writer.Flush();
    }

    /// <summary>What <paramref name="write"/> writes into a stream, as text.</summary>
    internal static string Text(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Says where the trace went: on the terminal with a table, else on standard error.</summary>
    internal static void TraceWritten(IAnsiConsole console, Settings settings)
    {
        string line = $"Wrote the trace {settings.Trace}; open it at https://ui.perfetto.dev";
        if (settings.FormatValue == OutputFormat.Table)
        {
            console.WriteLine(line);
        }
        else
        {
            VirtSimApp.Errors.WriteLine(line);
        }
    }

    /// <summary>Prints each warning on the terminal, after the table it qualifies.</summary>
    internal static void ShowWarnings(IAnsiConsole console, IReadOnlyList<string> warnings, string who)
    {
        foreach (string warning in warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(who + warning)}");
        }
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("G5", CultureInfo.InvariantCulture) : "n/a";

    private static string Duration(double seconds) => seconds switch
    {
        0 => "0 s",
        >= 3600 => $"{Number(seconds / 3600)} h",
        >= 60 => $"{Number(seconds / 60)} min",
        _ => $"{Number(seconds)} s",
    };
}
