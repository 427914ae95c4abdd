using Spectre.Console;
using Spectre.Console.Cli;
using VirtSim.Cli.Commands;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Cli;

/// <summary>The <c>virtsim</c> command line: parses arguments, shows progress and tables. Thin by design.</summary>
public static class VirtSimApp
{
    /// <summary>Exit code for bad input: a scenario error or a wrong argument.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a failure that is not the input's fault.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a run cancelled by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    private static readonly AsyncLocal<TextWriter?> CurrentErrors = new();

    /// <summary>Where messages and progress lines go in the current call of <see cref="Run"/>.</summary>
    internal static TextWriter Errors => CurrentErrors.Value ?? Console.Error;

    /// <summary>Columns when output goes to a pipe or a file and <c>COLUMNS</c> does not say: wide enough that a table's rows stay one line each.</summary>
    internal const int RedirectedWidth = 240;

    /// <summary>
    /// The width to lay text out in: <c>COLUMNS</c> when it is set (as shells export it), a wide
    /// <see cref="RedirectedWidth"/> when output is not a terminal, else null (the terminal's own).
    /// </summary>
    internal static int? OutputWidth(string? columns, bool redirected) =>
        int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is > 0 and <= 10_000 ? n
        : redirected ? RedirectedWidth
        : null;

    /// <summary>
    /// Runs the command line; output goes to <paramref name="console"/>, errors to
    /// <paramref name="errors"/>; cancelling <paramref name="cancellation"/> (Ctrl-C, see
    /// <c>Program.cs</c>) stops a run with nothing written.
    /// </summary>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? errors = null, CancellationToken cancellation = default)
    {
        errors ??= Console.Error;
        CurrentErrors.Value = errors;
        if (console is null && OutputWidth(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsOutputRedirected) is { } width)
        {
            console = AnsiConsole.Console;
            console.Profile.Width = width;
        }
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("virtsim");
            config.SetApplicationVersion(VirtSimVersion.Informational);
            config.UseStrictParsing();
            if (console is not null)
            {
                config.ConfigureConsole(console);
            }
            config.SetExceptionHandler((exception, _) => Report(exception, errors));
            config.CancellationExitCode(Cancelled);
            config.AddCommand<RunCommand>("run")
                .WithDescription("Run a scenario's replications, print a results table and write summary.json and replications.csv.")
                .WithExample("run", "scenarios/examples/mm1.yaml")
                .WithExample("run", "scenarios/examples/mm4.yaml", "--replications", "20", "--seed", "7", "--out", "results/mm4");
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Run one workload under the deployments a comparison file lists (VMs, containers, functions) and set the results side by side, or sweep them over arrival rates; writes report.html, comparison.md, comparison.csv, the plots (PNG) and each deployment's results.")
                .WithExample("compare", "scenarios/examples/compare-web-api.yaml")
                .WithExample("compare", "scenarios/examples/compare-web-api.yaml", "--replications", "3", "--out", "results/web-api")
                .WithExample("compare", "scenarios/examples/compare-load-sweep.yaml")
                .WithExample("compare", "scenarios/examples/compare-batch.yaml");
            config.AddCommand<MergeCommand>("merge")
                .WithDescription("Join the parts of a run split into shards (run --shard I/N --out DIR) into the results of the whole run, the same bytes one process writes.")
                .WithExample("merge", "parts/", "--out", "results/mm1");
            config.AddCommand<SchemaCommand>("schema")
                .WithDescription("Print the JSON Schema of scenario files (or of comparison files), for editors: yaml-language-server completes and checks a file whose first line names it.")
                .WithExample("schema")
                .WithExample("schema", "--comparison")
                .WithExample("schema", "--from", "scenarios/examples");
            config.AddCommand<MetricsCommand>("metrics")
                .WithDescription("List every metric with its unit, which way is better and what it means, and every row of a comparison.")
                .WithExample("metrics")
                .WithExample("metrics", "--markdown");
            config.AddCommand<ValidateCommand>("validate")
                .WithDescription("Check a scenario or comparison file without running it.")
                .WithExample("validate", "scenarios/examples/mm1.yaml");
        });
        if (args.Length == 0)
        {
            // No command is a mistake a script should see: the help, then one line, and exit 2.
            app.Run(["--help"], cancellation);
            errors.WriteLine("virtsim: error: no command given; name one, e.g. virtsim run scenarios/examples/mm1.yaml (the commands are listed above)");
            return BadInput;
        }
        return app.Run(args, cancellation);
    }

    private static int Report(Exception exception, TextWriter errors)
    {
        // Every message may echo the user's text (a name, a key, a file name): escape sequences in it are shown, never sent to the terminal.
        var escaped = new EscapingWriter(errors);
        int code = Describe(exception, escaped);
        escaped.Flush();
        return code;
    }

    private static int Describe(Exception exception, TextWriter errors)
    {
        switch (exception)
        {
            case ScenarioException scenario:
                errors.WriteLine(scenario.Message);
                return BadInput;
            case CommandAppException command:
                errors.WriteLine($"virtsim: error: {command.Message} (see virtsim --help)");
                return BadInput;
            case OutputFolderException output:
                errors.WriteLine(output.Message);
                return BadInput;
            case UnknownMetricException metric:
                errors.WriteLine($"virtsim: error: {metric.Message}");
                return BadInput;
            case ShardMergeException merge:
                errors.WriteLine(merge.Message);
                return BadInput;
            case BudgetExceededException budget:
                errors.WriteLine($"virtsim: error: {budget.Message}; nothing was written");
                return BadInput;
            case OperationCanceledException:
                errors.WriteLine("virtsim: cancelled; nothing was written");
                return Cancelled;
            default:
                errors.WriteLine($"virtsim: error: {exception.Message}");
                return Failure;
        }
    }

    /// <summary>Writes lines with every control character but the line break escaped (<see cref="Messages.Escape"/>).</summary>
    private sealed class EscapingWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value == '\n' ? "\n" : Messages.Escape(value.ToString()));

        public override void WriteLine(string? value) => inner.WriteLine(string.Join('\n', (value ?? "").Split('\n').Select(Messages.Escape)));

        public override void Flush() => inner.Flush();
    }
}
