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
        [Description("Folder for the results, as virtsim run writes them (summary.json, replications.csv, the timelines) [[default: results/NAME, NAME the scenario file's name, as run --out would default]]")]
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
        var (run, sweep, comparisonSweep, comparison, text, defaultFolder) = ShardFiles.Read(settings.Parts);
        if (comparison is not null)
        {
            string output = Output(settings, defaultFolder, folder => ComparisonWriter.Write(comparison, folder, text, cancellationToken));
            console.WriteLine($"Merged a comparison of {comparison.Comparison.Deployments.Count} deployments, {comparison.Runs[0].Replications.Count} replications each; wrote {Path.Combine(output, ComparisonReport.File)}, {ComparisonWriter.MarkdownFile}, {ComparisonWriter.CsvFile} and one folder per deployment");
            return 0;
        }
        if (comparisonSweep is not null || sweep is not null)
        {
            IReadOnlyList<string> written = [];
            string output = Output(settings, defaultFolder, folder => written = comparisonSweep is not null
                ? ParameterSweepWriter.Write(comparisonSweep, folder, text, cancellationToken)
                : ParameterSweepWriter.Write(sweep!, folder, text, cancellationToken));
            console.WriteLine($"Merged {(comparisonSweep is not null ? "a comparison's sweep" : "a sweep")} of {comparisonSweep?.Points.Count ?? sweep!.Points.Count} points; wrote {string.Join(", ", written.Select(f => Path.Combine(output, f)))}");
            return 0;
        }
        var result = run!;
        IReadOnlyList<string> files = [];
        string runOutput = Output(settings, defaultFolder, folder => files = ResultWriter.Write(result, folder, cancellationToken));
        var format = new RunCommand.Settings { Format = settings.Format }.FormatValue;
        new RunCommand(console).Show(result, runOutput, files, format);
        return 0;
    }

    /// <summary>Writes into --out (or results/NAME), a folder that is VirtSim's own (see <see cref="OutputFolder"/>); returns the folder.</summary>
    private static string Output(Settings settings, string? defaultFolder, Action<OutputFolder> write)
    {
        string output = settings.Out ?? defaultFolder
            ?? throw new OutputFolderException(string.Join(", ", settings.Parts), "the shards' scenario file name gives no results folder name; name one with --out DIR");
        using var folder = OutputFolder.Prepare(output, settings.Force);
        write(folder);
        return output;
    }
}
