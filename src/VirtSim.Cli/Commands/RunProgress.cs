using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace VirtSim.Cli.Commands;

/// <summary>
/// Shows that a long run is alive: on a terminal a bar with the elapsed and the remaining time; when
/// the output is not a terminal (a log, a batch job) a line on standard error every few seconds.
/// </summary>
internal static class RunProgress
{
    /// <summary>How often a line is written when the output is not a terminal.</summary>
    internal static TimeSpan LinePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="run"/>, showing its progress towards <paramref name="total"/> replications.</summary>
    public static T Show<T>(IAnsiConsole console, string title, double total, Func<IProgress<double>, T> run)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            return console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                    new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: total);
                    return run(new Progress<double>(done => task.Value = done));
                });
        }
        var clock = Stopwatch.StartNew();
        double latest = 0;
        var progress = new SynchronousProgress(done => Volatile.Write(ref latest, done));
        using var timer = new Timer(_ => Line(VirtSimApp.Errors, title, Volatile.Read(ref latest), total, clock.Elapsed),
            null, LinePeriod, LinePeriod);
        return run(progress);
    }

    private static void Line(TextWriter errors, string title, double done, double total, TimeSpan elapsed)
    {
        double share = total > 0 ? done / total : 0;
        string left = share > 0.01 ? $", about {Seconds(elapsed.TotalSeconds * (1 - share) / share)} left" : "";
        lock (errors)
        {
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"virtsim: {title}: {done:0.0} of {total:G} replications ({share * 100:0}%), {Seconds(elapsed.TotalSeconds)} elapsed{left}"));
        }
    }

    private static string Seconds(double seconds) =>
        seconds >= 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min") : string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s");

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
