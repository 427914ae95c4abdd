using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli.Commands;

/// <summary><c>virtsim schema</c>: prints the JSON Schema of scenario (or comparison) files.</summary>
public sealed class SchemaCommand(IAnsiConsole console) : Command<SchemaCommand.Settings>
{
    /// <summary>Options of <c>virtsim schema</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The schema of comparison files instead of scenario files.</summary>
        [CommandOption("--comparison")]
        [Description("The schema of comparison files (virtsim compare) instead of scenario files (virtsim run)")]
        public bool Comparison { get; init; }

        /// <summary>Generate the schema from the files in a folder instead of printing the built-in one.</summary>
        [CommandOption("--from <DIR>")]
        [Description("Generate the schema anew by reading the YAML files in DIR (the examples: scenarios/examples) instead of printing the one built in")]
        public string? From { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            From is not null && !Directory.Exists(From) ? ValidationResult.Error($"--from takes a folder of scenario files; '{From}' is not one") : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string schema = settings.From is { } folder
            ? ScenarioSchema.Generate(folder, settings.Comparison)
            : settings.Comparison ? ScenarioSchema.Comparison : ScenarioSchema.Scenario;
        RunCommand.Print(console, schema);
        return 0;
    }
}
