using System.ComponentModel;
using Spectre.Console.Cli;

namespace VirtSim.Cli.Commands;

/// <summary>Settings shared by the commands that take a scenario file.</summary>
public class ScenarioSettings : CommandSettings
{
    /// <summary>The scenario file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("Scenario YAML file, e.g. scenarios/examples/mm1.yaml")]
    public string File { get; init; } = "";
}
