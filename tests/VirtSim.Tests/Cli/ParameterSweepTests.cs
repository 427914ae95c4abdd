using System.Globalization;
using System.Text.Json;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Cli;

/// <summary>
/// Sweeps over any value of a scenario file: a point's results are a plain run's with those values
/// set, the M/M/1 curve lies on its closed form, a Latin hypercube covers each value evenly and
/// follows its seed, and a wrong sweep is refused before anything runs.
/// </summary>
public class ParameterSweepTests : WithWorkFolder
{
    private static (int Code, string Out, string Err) Virtsim(params string[] args) => Cli.Virtsim.Run(args);

    private static string Example => Path.Combine(Repository.Examples, "mm1-load-sweep.yaml");

    private static Dictionary<(int Point, string Metric), string[]> Rows(string csv) =>
        File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToDictionary(f => (int.Parse(f[0], CultureInfo.InvariantCulture), f[2]));

    [Test]
    public void APointIsThePlainRunWithItsValuesSetAndTheCurveFollowsTheory()
    {
        var (code, output, errors) = Virtsim("run", Example, "--out", Path.Combine(Work, "sweep"));
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Contain("sweep of 6 points"));
        var rows = Rows(Path.Combine(Work, "sweep", "sweep.csv"));
        Assert.That(File.ReadLines(Path.Combine(Work, "sweep", "sweep.csv")).First(),
            Is.EqualTo("point,station.arrivals.rate,metric,unit,mean,ci95_low,ci95_high,replications"));

        // Point 1 is 0.4/s: a plain run of the file (without its sweep section) with that rate set
        // gives the same numbers, to the last digit.
        Assert.That(rows[(1, "response_time_mean")][1], Is.EqualTo("0.4/s"));
        string text = File.ReadAllText(Example);
        string single = Path.Combine(Work, "single.yaml");
        File.WriteAllText(single, text[..text.IndexOf("sweep:", StringComparison.Ordinal)]);
        Assert.That(Virtsim("run", single, "--set", "station.arrivals.rate=0.4/s", "--out", Path.Combine(Work, "one")).Code, Is.Zero);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Work, "one", "summary.json")));
        foreach (var metric in summary.RootElement.GetProperty("metrics").EnumerateObject())
        {
            var row = rows[(1, metric.Name)];
            Assert.That(double.Parse(row[4], CultureInfo.InvariantCulture), Is.EqualTo(metric.Value.GetProperty("mean").GetDouble()), metric.Name);
            Assert.That(double.Parse(row[6], CultureInfo.InvariantCulture), Is.EqualTo(metric.Value.GetProperty("ci95_high").GetDouble()), metric.Name);
        }

        // M/M/1 with mean service 1 s: E[T] = 1 / (1 - lambda) inside every point's interval.
        for (int p = 0; p < 6; p++)
        {
            double lambda = 0.3 + 0.1 * p;
            var row = rows[(p, "response_time_mean")];
            double low = double.Parse(row[5], CultureInfo.InvariantCulture), high = double.Parse(row[6], CultureInfo.InvariantCulture);
            Assert.That(1 / (1 - lambda), Is.InRange(low, high), $"lambda {lambda}");
        }
        Assert.That(File.Exists(Path.Combine(Work, "sweep", "sweep-response_time_mean-vs-station_arrivals_rate.png")));
        Assert.That(File.Exists(Path.Combine(Work, "sweep", "sweep-utilization-vs-station_arrivals_rate.svg")));
        // The report: the plots embedded and a table per chosen metric, a row per point.
        string report = File.ReadAllText(Path.Combine(Work, "sweep", "report.html"));
        Assert.That(report, Does.Contain("sweep of 6 points").And.Contain("<h2>utilization</h2>").And.Contain("<td>0.4/s</td>").And.Contain("data:image/png;base64,"));
    }

    [Test]
    public void ALatinHypercubeCoversEachValueEvenlyAndFollowsItsSeed()
    {
        var parameters = new[] { new SweepParameter("a", ["1", "2", "3", "4"]), new SweepParameter("b", ["x", "y"]) };
        var sweep = new ParameterSweep(parameters, SweepDesign.LatinHypercube, 8, 5);
        var points = sweep.EveryPoint();
        Assert.That(points, Has.Count.EqualTo(8));
        // 8 points over 4 values: each value twice; over 2 values: each four times.
        Assert.That(points.GroupBy(p => p[0].Value).Select(g => g.Count()), Is.All.EqualTo(2));
        Assert.That(points.GroupBy(p => p[1].Value).Select(g => g.Count()), Is.All.EqualTo(4));
        Assert.That(sweep.EveryPoint().Select(p => string.Join(";", p)), Is.EqualTo(points.Select(p => string.Join(";", p))), "same seed, same points");
        var other = (sweep with { Seed = 6 }).EveryPoint();
        Assert.That(other.Select(p => string.Join(";", p)), Is.Not.EqualTo(points.Select(p => string.Join(";", p))), "another seed, another sample");
        // A grid: every combination, the last parameter fastest.
        var grid = (sweep with { Design = SweepDesign.Grid }).EveryPoint();
        Assert.That(grid.Select(p => $"{p[0].Value}{p[1].Value}"), Is.EqualTo(new[] { "1x", "1y", "2x", "2y", "3x", "3y", "4x", "4y" }));
    }

    [TestCase("    - {path: station.arivals.rate, values: [1/s]}", "sweep: station.arivals.rate=1/s: the file has no 'station.arivals'")]
    [TestCase("    - {path: station.arrivals.rate, values: [fast]}", "sweep: station.arrivals.rate=fast: station.arrivals.rate: expected a rate")]
    [TestCase("    - {path: station.arrivals.rate, from: 1/s, to: 2min, steps: 3}", "expected the unit of from ('/s'), not 'min'")]
    [TestCase("    - {path: station.arrivals.rate, values: [0.5/s]}\n  design: lhc", "expected design grid or lhs (a Latin hypercube), not 'lhc'; did you mean 'lhs'?")]
    [TestCase("    - {path: station.arrivals.rate, values: [0.5/s]}\n  metrics: [response_time_men]", "this scenario measures no 'response_time_men'; did you mean 'response_time_mean'?")]
    public void AWrongSweepIsRefusedAndNothingIsWritten(string parameters, string message)
    {
        string text = File.ReadAllText(Example);
        text = text[..text.IndexOf("sweep:", StringComparison.Ordinal)] + "sweep:\n  parameters:\n" + parameters + "\n";
        string file = Path.Combine(Work, "bad.yaml");
        File.WriteAllText(file, text);
        var (code, output, errors) = Virtsim("run", file, "--replications", "2", "--out", Path.Combine(Work, "out"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(errors, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(Work, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(Work, "out")).Any(f => !Path.GetFileName(f).StartsWith('.')), Is.False,
            "nothing written");
    }
}
