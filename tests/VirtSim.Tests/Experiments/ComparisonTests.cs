using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class ComparisonTests
{
    private static readonly string Example = Path.Combine(Repository.Examples, "compare-web-api.yaml");

    private static ComparisonResult RunShort()
    {
        var comparison = ShortComparison.Load("compare-web-api.yaml", duration: 600, warmup: 120);
        return ComparisonRunner.Run(comparison, new RunOptions(Replications: 3));
    }

    [Test]
    public void EveryDeploymentSeesTheSameArrivals()
    {
        var result = RunShort();
        for (int r = 0; r < 3; r++)
        {
            double Arrivals(int d, string metric) => result.Runs[d].Replications[r].Measurements.Single(m => m.Name == metric).Value;
            double vms = Arrivals(0, "workload.requests"), containers = Arrivals(1, "workload.requests"), functions = Arrivals(2, "workload.invocations");
            Assert.That(vms, Is.GreaterThan(1000));
            Assert.That((containers, functions), Is.EqualTo((vms, vms)), $"replication {r}");
        }
    }

    [Test]
    public void TheMarkdownTableListsEveryDeploymentAndEveryMeasure()
    {
        var result = RunShort();
        string markdown = ComparisonWriter.Markdown(result);
        var header = markdown.Split('\n').Single(l => l.StartsWith("| Measure", StringComparison.Ordinal));
        Assert.That(header, Does.Contain("vms (VMs)").And.Contain("containers (containers)").And.Contain("functions (functions)"));
        foreach (string measure in ComparisonRunner.MeasureNames)
        {
            var row = markdown.Split('\n').Single(l => l.StartsWith($"| {measure} |", StringComparison.Ordinal));
            Assert.That(row.Count(c => c == '|'), Is.EqualTo(6), measure);
        }
        Assert.That(markdown, Does.Contain("| hosts used | hosts | 1 ± 0 | 1 ± 0 | n/a |"), "a function's hosts are the provider's");
    }

    [Test]
    public void ContainersStartFasterThanVmsAndFunctionsColdStartFasterStill()
    {
        var result = RunShort();
        var startup = result.Rows.Single(r => r.Metric == "start-up time").Values;
        Assert.That(startup[0].Mean, Is.GreaterThan(startup[1].Mean));
        Assert.That(startup[1].Mean, Is.GreaterThan(startup[2].Mean));
        Assert.That(startup[2].Mean, Is.EqualTo(0.3 + 0.4).Within(1e-9), "a cold start initializes the runtime, then the function");
    }

    private static ScenarioException Bad(string replace, string with) => Bad(text => text.Replace(replace, with));

    private static ScenarioException Bad(Func<string, string> edit)
    {
        string path = Path.Combine(Path.GetTempPath(), $"virtsim-cmp-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, edit(File.ReadAllText(Example)));
        try
        {
            return Assert.Throws<ScenarioException>(() => ComparisonReader.LoadFile(path))!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ADeploymentMustSayHowItRuns() =>
        Assert.That(Bad("{name: vms, replicas: 4, vm:", "{name: vms, replicas: 4, pod: {engines: nodes, containers: [{image: api, cpu: 1, memory: 1GiB}]}, vm:").Message,
            Does.Contain("expected exactly one of vm, pod or function"));

    [Test]
    public void OneDeploymentIsNoComparison()
    {
        string path = Path.Combine(Path.GetTempPath(), $"virtsim-cmp-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, File.ReadAllText(Example).Replace("  - {name: containers", "  # - {name: containers").Replace("  - {name: functions", "  # - {name: functions"));
        try
        {
            var e = Assert.Throws<ScenarioException>(() => ComparisonReader.LoadFile(path))!;
            Assert.That(e.Message, Does.Contain("expected at least two deployments to compare"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ASelfHostedFunctionNeedsKnownEnginesAndItsContainerNeedsEngines()
    {
        var stray = Bad("function: {memory: 512MiB", "function: {base_image: api, memory: 512MiB");
        Assert.That(stray.Message, Does.Contain("base_image and code describe a self-hosted function's container: set engines too"));
        var unknown = Bad("function: {memory: 512MiB", "function: {engines: node, base_image: api, memory: 512MiB");
        Assert.That(unknown.Message, Does.Contain("compare[2].function.engines: no engine group named 'node' (declared: nodes)"));
        var image = Bad("function: {memory: 512MiB", "function: {engines: nodes, base_image: apu, memory: 512MiB");
        Assert.That(image.Message, Does.Contain("a function may use only the provider's base images (api), not 'apu'"));
    }

    [Test]
    public void AJobAllowsNoWarmupAndNoSweepAndASweepNeedsPoissonArrivals()
    {
        var warm = Bad(text => text.Replace("  arrivals: {rate: 40/s}", "  arrivals: {requests: 1000}"));
        Assert.That(warm.Message, Does.Contain("workload.arrivals.requests: a job is measured from the start of the run: expected warmup: 0"));
        var swept = Bad(text => text.Replace("  arrivals: {rate: 40/s}", "  arrivals: {requests: 1000}").Replace("warmup: 10min", "warmup: 0s")
            + "sweep: {rates: [1/s, 2/s]}\n");
        Assert.That(swept.Message, Does.Contain("sweep: a sweep varies the arrival rate of an endless workload, not of a job"));
        var bursty = Bad(text => text.Replace("  arrivals: {rate: 40/s}", "  arrivals: {interarrival: {distribution: on_off, rate: 1/s, on: 1min, off: 5min}}")
            + "sweep: {rates: [1/s, 2/s]}\n");
        Assert.That(bursty.Message, Does.Contain("sweep: a sweep runs Poisson arrivals at each rate: give the workload's arrivals as a rate"));
    }

    [Test]
    public void AnUnfinishedJobHasNoMakespan()
    {
        // Ten minutes are not enough for the VMs (about 23) or the containers (about 28).
        var comparison = ShortComparison.Load("compare-batch.yaml", duration: 600, warmup: 0);
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 1));
        var makespan = result.Rows.Single(r => r.Metric == "makespan").Values;
        Assert.That(makespan[0].Count, Is.Zero);
        Assert.That(makespan[1].Count, Is.Zero);
        Assert.That(makespan[2].Mean, Is.LessThan(60));
        Assert.That(ComparisonWriter.Markdown(result), Does.Contain("| makespan | s | n/a | n/a |"));
    }

    [Test]
    public void AComparisonNeedsAWorkload() =>
        Assert.That(Bad("workload:", "work:").Message, Does.Contain("unknown key 'work'"));
}

public class SweepTests
{
    [Test]
    public void TheCrossoverFinderFindsACrossingPlacedByConstruction()
    {
        // a = 2x and b = 10 + x cross at x = 10; sampled unevenly, and with a missing sample.
        double[] x = [0, 5, 8, 12, 20];
        double[] a = x.Select(v => 2 * v).ToArray();
        double[] b = x.Select(v => 10 + v).ToArray();
        b[1] = double.NaN;
        Assert.That(SweepRunner.CrossingPoints(x, a, b), Is.EqualTo(new[] { 10.0 }).Within(1e-12));
        Assert.That(SweepRunner.CrossingPoints(x, a, a.Select(v => v + 1).ToArray()), Is.Empty, "parallel curves never cross");
    }

    [Test]
    public void TheBreakingPointIsWhereLatencyFirstReachesTwiceItsLightLoadValue()
    {
        // 0.1 s at light load, so the threshold is 0.2 s: crossed between 20 (0.15) and 30 (0.35),
        // at 20 + 10 x 0.05 / 0.2 = 22.5; a later dip and rise does not count again.
        double[] rates = [10, 20, 30, 40, 50];
        Assert.That(SweepRunner.BreakingPoint(rates, [0.1, 0.15, 0.35, 0.15, 0.5]), Is.EqualTo(22.5).Within(1e-12));
        Assert.That(SweepRunner.BreakingPoint(rates, [0.1, 0.12, 0.15, 0.18, 0.19]), Is.Null);
    }

    [Test]
    public void ASweepFindsWhereAFunctionStopsBeingCheaperAndDrawsItsPlots()
    {
        var comparison = ShortComparison.Load("compare-load-sweep.yaml", duration: 120, warmup: 30) with { SweepRates = [10, 100, 200] };
        var sweep = SweepRunner.Run(comparison, new RunOptions(Replications: 2));
        var cost = SweepRunner.Crossovers(sweep).Where(c => c.Measure == "cost per hour" && c.Lower == "functions").ToList();
        // Per request the function costs 3 GiB x 25 ms x 0.0000166667 + 0.20 / 10^6 = 1.45e-6,
        // so its bill reaches a host's 0.80 per hour near 0.80 / (3,600 x 1.45e-6) = 153 requests/s.
        Assert.That(cost.Select(c => c.Higher), Is.EquivalentTo(new[] { "vms", "containers" }));
        Assert.That(cost.Select(c => c.Rate), Is.All.EqualTo(153).Within(15));
        // Six 1-core containers near 200 requests/s of 25 ms are 83% busy and queue; the function
        // gives every request an instance of its own, so its latency does not grow with the load.
        var breaks = SweepRunner.LatencyBreaks(sweep).ToDictionary(b => b.Deployment, b => b.Rate);
        Assert.That(breaks["containers"], Is.InRange(100, 200));
        Assert.That(breaks["functions"], Is.Null);

        var plot = VirtSim.Experiments.Results.ComparisonPlots.CostAgainstLoad(sweep);
        var series = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
        Assert.That(series.Select(s => s.LegendText), Is.EqualTo(new[] { "vms (VMs)", "containers (containers)", "functions (functions)" }));
        Assert.That(series.Select(s => s.Data.GetScatterPoints().Count), Is.All.EqualTo(3));
        Assert.That(series.Select(s => (s.MarkerShape, s.LinePattern.Name)).Distinct().Count(), Is.EqualTo(3), "lines that coincide stay told apart");
        var patterns = series.Select(s => s.LinePattern.Name).ToList();
        Assert.That(VirtSim.Experiments.Results.ComparisonPlots.Svg(plot), Does.StartWith("<svg").Or.StartWith("<?xml"));
        Assert.That(series.Select(s => s.LinePattern.Name), Is.EqualTo(patterns), "drawn solid for the SVG only, then restored");
        Assert.That(patterns.Distinct().Count(), Is.GreaterThan(1));
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.FillY>().Count(), Is.EqualTo(3), "a 95% band per deployment");
        Assert.That(plot.Axes.Left.Range.Min, Is.Zero, "a cost axis from zero");
        Assert.That(plot.Axes.Bottom.Label.Text, Is.EqualTo("Arrival rate [requests/s]"));
        Assert.That(plot.Axes.Left.Label.Text, Is.EqualTo("Cost [USD/h]"));
        Assert.That(plot.Axes.Title.Label.Text, Does.StartWith("Cost against load"));
        // The cost crossover drawn where it is, labelled once for the two deployments it shares.
        var crossing = plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>().Single();
        Assert.That(crossing.X, Is.EqualTo(cost[0].Rate).Within(1e-9));
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.Text>().Single().LabelText, Does.StartWith("functions lower below"));

        var latency = VirtSim.Experiments.Results.ComparisonPlots.LatencyAgainstLoad(sweep).Subplots.GetPlots();
        Assert.That(latency, Has.Length.EqualTo(3), "one panel per percentile");
        Assert.That(latency.Select(p => p.Axes.Title.Label.Text), Has.All.StartWith("Latency, "));
        Assert.That(latency.Select(p => p.Axes.Left.Range.Min), Has.All.Zero);
        var lines = latency.Select(p => p.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToDictionary(s => s.LegendText, s => s.Data.GetScatterPoints())).ToList();
        foreach (string deployment in new[] { "vms (VMs)", "containers (containers)", "functions (functions)" })
        {
            var (p50, p95, p99) = (lines[0][deployment], lines[1][deployment], lines[2][deployment]);
            for (int i = 0; i < 3; i++)
            {
                Assert.That(p50[i].Y, Is.LessThanOrEqualTo(p95[i].Y).And.GreaterThan(0), deployment);
                Assert.That(p95[i].Y, Is.LessThanOrEqualTo(p99[i].Y), deployment);
            }
        }
        // The containers' break is marked and labelled on the p99 panel.
        Assert.That(latency[2].GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText), Has.Some.StartsWith("containers breaks near"));
    }
}
