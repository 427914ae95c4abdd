using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli.Commands;

/// <summary>Settings shared by the commands that take a scenario file.</summary>
public class ScenarioSettings : CommandSettings
{
    /// <summary>The scenario file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("Scenario YAML file, e.g. scenarios/examples/mm1.yaml")]
    public string File { get; init; } = "";

    /// <summary>Changes to values of the file.</summary>
    [CommandOption("--set <PATH=VALUE>")]
    [Description("Change one value of the file for this run, by its path; repeatable. Keys by dots, list items by name or index: --set workload.arrivals.rate=80/s, --set functions[[api]].keep_alive=5min, --set datacenter.hosts[[web]].count=8. Every check of the file applies to the value.")]
    public string[] Set { get; init; } = [];

    /// <summary>The overrides, parsed (valid once <see cref="Validate"/> passed).</summary>
    internal IReadOnlyList<Override> Overrides => [.. Set.Select(text => Override.Parse(text, out _)!)];

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        foreach (string text in Set)
        {
            if (Override.Parse(text, out string? problem) is null)
            {
                return ValidationResult.Error(problem!);
            }
        }
        return ValidationResult.Success();
    }
}
