using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Results;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim merge DIR...</c>: joins the parts of a sharded run into its results.</summary>
public sealed class MergeCommand(IAnsiConsole console) : Command<MergeCommand.Settings>
{
    /// <summary>Options of <c>virtsim merge</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Folders (or files) holding the shards' parts.</summary>
        [CommandArgument(0, "<DIR>")]
        [Description("Folders (or shard files) holding the parts that virtsim run --shard I/N --out DIR wrote")]
        public string[] Parts { get; init; } = [];

        /// <summary>Where the merged results go.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for the results, as virtsim run writes them (summary.json, replications.csv, the timelines) [[default: results/<scenario name>]]")]
        public string? Out { get; init; }

        /// <summary>Replace VirtSim's results in a folder that also holds other files.</summary>
        [CommandOption("--force")]
        [Description("Write into an --out folder that holds files VirtSim did not write; even then only VirtSim's own results there are replaced.")]
        public bool Force { get; init; }

        /// <summary>How the results are printed.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("table, md, csv or json, as for run [[default: table]]")]
        public string? Format { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Format is not null and not ("table" or "md" or "markdown" or "csv" or "json")
                ? ValidationResult.Error($"--format takes table, md, csv or json, not '{Format}'")
                : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (run, sweep, comparisonSweep, comparison, text) = ShardFiles.Merged(settings.Parts);
        if (comparison is not null)
        {
            string comparisonOutput = settings.Out ?? Path.Combine("results", comparison.Comparison.Name);
            using var comparisonFolder = OutputFolder.Prepare(comparisonOutput, settings.Force);
            ComparisonWriter.Write(comparison, comparisonFolder, text, cancellationToken);
            console.WriteLine($"Merged a comparison of {comparison.Comparison.Deployments.Count} deployments, {comparison.Runs[0].Replications.Count} replications each; wrote {Path.Combine(comparisonOutput, ComparisonReport.File)}, {ComparisonWriter.MarkdownFile}, {ComparisonWriter.CsvFile} and one folder per deployment");
            return 0;
        }
        if (comparisonSweep is not null)
        {
            string comparisonOutput = settings.Out ?? Path.Combine("results", comparisonSweep.Results[0].Comparison.Name);
            using var comparisonFolder = OutputFolder.Prepare(comparisonOutput, settings.Force);
            var written = ParameterSweepWriter.Write(comparisonSweep, comparisonFolder, text, cancellationToken);
            console.WriteLine($"Merged a comparison's sweep of {comparisonSweep.Points.Count} points; wrote {string.Join(", ", written.Select(f => Path.Combine(comparisonOutput, f)))}");
            return 0;
        }
        if (sweep is not null)
        {
            string sweepOutput = settings.Out ?? Path.Combine("results", sweep.Runs[0].Scenario.Name);
            using var sweepFolder = OutputFolder.Prepare(sweepOutput, settings.Force);
            var written = ParameterSweepWriter.Write(sweep, sweepFolder, text, cancellationToken);
            console.WriteLine($"Merged a sweep of {sweep.Points.Count} points; wrote {string.Join(", ", written.Select(f => Path.Combine(sweepOutput, f)))}");
            return 0;
        }
        var result = run!;
        string output = settings.Out ?? Path.Combine("results", result.Scenario.Name);
        using var folder = OutputFolder.Prepare(output, settings.Force);
        var files = ResultWriter.Write(result, folder, cancellationToken);
        var command = new RunCommand(console);
        var format = new RunCommand.Settings { Format = settings.Format }.FormatValue;
        command.Show(result, output, files, format);
        return 0;
    }
}
