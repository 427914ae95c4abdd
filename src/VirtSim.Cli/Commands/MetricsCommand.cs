using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim metrics</c>: every metric VirtSim measures and every row a comparison shows, with unit and meaning.</summary>
public sealed class MetricsCommand(IAnsiConsole console) : Command<MetricsCommand.Settings>
{
    /// <summary>Options of <c>virtsim metrics</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Print Markdown instead of tables.</summary>
        [System.ComponentModel.Description("Print the lists as Markdown (what docs/metrics.md holds).")]
        [CommandOption("--markdown")]
        public bool Markdown { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Markdown)
        {
            console.Profile.Out.Writer.Write(MetricsDocument.Markdown());
            return 0;
        }
        var metrics = new Table().AddColumns("Metric", "Of", "Unit", "Better", "Meaning");
        foreach (var metric in MetricCatalogue.All)
        {
            metrics.AddRow(Markup.Escape(metric.Pattern), MetricsDocument.Subject(metric.Subject), Markup.Escape(metric.Unit),
                MetricsDocument.Direction(metric.Better), Markup.Escape(metric.Description));
        }
        metrics.Title = new TableTitle("Metrics of run (summary.json, replications.csv)");
        console.Write(metrics);
        var rows = new Table().AddColumns("Comparison row", "Unit", "Better", "Meaning");
        foreach (var measure in ComparisonRunner.Rows.Concat(ComparisonRunner.JobRows))
        {
            rows.AddRow(Markup.Escape(measure.Name), Markup.Escape(measure.Unit), MetricsDocument.Direction(measure.Better), Markup.Escape(measure.Description));
        }
        rows.Title = new TableTitle("Rows of compare (comparison.md, comparison.csv)");
        console.Write(rows);
        return 0;
    }
}
