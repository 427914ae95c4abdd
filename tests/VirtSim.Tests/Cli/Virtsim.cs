using Spectre.Console;
using VirtSim.Cli;

namespace VirtSim.Tests.Cli;

/// <summary>The command line run in the test process, as a user would call it without a terminal.</summary>
internal static class Virtsim
{
    /// <summary>Runs <c>virtsim</c> with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>Runs <c>virtsim</c> as Ctrl-C would find it when <paramref name="cancellation"/> is cancelled.</summary>
    public static (int Code, string Out, string Err) Run(CancellationToken cancellation, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        var errors = new StringWriter();
        int code = VirtSimApp.Run(args, console, errors, cancellation);
        return (code, output.ToString(), errors.ToString());
    }
}

/// <summary>A test with a fresh folder of its own, removed afterwards.</summary>
public abstract class WithWorkFolder
{
    /// <summary>The folder.</summary>
    protected string Work { get; private set; } = "";

    [SetUp]
    public void MakeWorkFolder()
    {
        Work = Path.Combine(Path.GetTempPath(), "virtsim-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Work);
    }

    [TearDown]
    public void RemoveWorkFolder() => Directory.Delete(Work, recursive: true);
}
