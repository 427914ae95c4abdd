using VirtSim.Experiments.Results;
using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim validate FILE</c>: loads and checks a scenario (or a comparison) without running it.</summary>
public sealed class ValidateCommand(IAnsiConsole console) : Command<ScenarioSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, ScenarioSettings settings, CancellationToken cancellationToken)
    {
        if (ScenarioLoader.IsComparisonFile(settings.File))
        {
            var comparison = ComparisonReader.LoadFile(settings.File, settings.Overrides);
            foreach (var scenario in SweepRunner.EveryScenario(comparison))
            {
                RunCommand.CheckBudget(settings.File, scenario, new RunOptions());
            }
            ComparisonWriter.CheckNames(settings.File, ScenarioLoader.ReadText(settings.File), comparison);
            foreach (var deployment in comparison.Deployments)
            {
                MetricNames.Check(settings.File, ScenarioLoader.ReadText(settings.File), deployment.Scenario, "precision");
            }
            console.MarkupLineInterpolated($"[green]ok[/] {settings.File}: comparison '{comparison.Name}' of {string.Join(", ", comparison.Deployments.Select(d => d.Name))}");
            return 0;
        }
        var loaded = ScenarioLoader.LoadFile(settings.File, settings.Overrides);
        RunCommand.CheckBudget(settings.File, loaded, new RunOptions());
        MetricNames.Check(settings.File, ScenarioLoader.ReadText(settings.File), loaded, "precision", "sweep");
        if (ScenarioLoader.ReadSweep(settings.File, ScenarioLoader.ReadText(settings.File), settings.Overrides) is { } sweep)
        {
            foreach (var point in sweep.Points)
            {
                RunCommand.CheckBudget(settings.File, point, new RunOptions());
            }
            console.MarkupLineInterpolated($"[green]ok[/] {settings.File}: scenario '{loaded.Name}', a sweep of {sweep.Points.Count} points, {loaded.Replications} replications each, seed {loaded.Seed}");
            return 0;
        }
        console.MarkupLineInterpolated($"[green]ok[/] {settings.File}: scenario '{loaded.Name}', {loaded.Replications} replications, seed {loaded.Seed}");
        return 0;
    }
}
