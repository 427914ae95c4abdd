using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class RunBudgetTests
{
    private static Scenario Mm1 => ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "mm1.yaml"));

    [Test]
    public void TheEstimateOfAStationIsTwoEventsAnArrival()
    {
        // 0.8 arrivals/s over 10 min of warm-up and 10 h (36,600 s): 29,280 arrivals, each an arrival and a departure.
        var (events, largest) = RunBudget.Estimate(Mm1);
        Assert.That(events, Is.EqualTo(2 * 0.8 * 36_600).Within(1e-6));
        Assert.That(largest, Does.Contain("station"));
    }

    [Test]
    public void TheEstimateIsALowerBoundOnWhatARunProcesses()
    {
        var scenario = Mm1 with { Duration = 3600, Warmup = 0 };
        var replication = ExperimentRunner.RunOne(scenario, 0);
        Assert.That(replication.Events, Is.GreaterThanOrEqualTo(RunBudget.Estimate(scenario).Events * 0.95),
            "within the randomness of the arrivals, the estimate does not exceed the events processed");
    }

    [Test]
    public void TheMemoryEstimateCountsHostsVmsAndPodsAtTwoKilobytesEach()
    {
        // Ten hosts and ten services of one VM each.
        var packed = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "consolidation-packed.yaml"));
        Assert.That(RunBudget.EstimateMemory(packed), Is.EqualTo(20 * 2048));
        var tight = new RunBudget(MaxMemoryBytes: 20 * 2048 * 4 - 1);
        Assert.DoesNotThrow(() => tight.Check(packed, concurrentReplications: 3));
        var e = Assert.Throws<BudgetExceededException>(() => tight.Check(packed, concurrentReplications: 4));
        Assert.That(e!.Message, Does.Contain("4 replication(s) at once would hold at least").And.Contain("--parallelism"));
    }

    [Test]
    public void EveryExampleFitsTheDefaultBudget()
    {
        foreach (string file in Directory.EnumerateFiles(Repository.Examples, "*.yaml"))
        {
            var scenarios = ScenarioLoader.IsComparisonFile(file)
                ? SweepRunner.EveryScenario(ComparisonReader.LoadFile(file))
                : [ScenarioLoader.LoadFile(file)];
            foreach (var scenario in scenarios)
            {
                Assert.DoesNotThrow(() => RunBudget.Default.Check(scenario), file);
            }
        }
    }

    [Test]
    public void AReplicationStopsAtItsEventBudget()
    {
        var e = Assert.Throws<BudgetExceededException>(() => ExperimentRunner.RunOne(Mm1, 0, maxEvents: 1000));
        Assert.That(e!.Message, Does.Contain("replication 0 processed its budget of 1,000 events").And.Contain("--max-events"));
    }

    [Test]
    public void ARunStopsAtItsBudgetWithTheBudgetsMessageNotAnAggregate()
    {
        // The estimate (58,560 events) fits 60,000; a replication needs more (its departures and the warm-up's end), and stops.
        var options = new RunOptions(Replications: 2, Budget: new RunBudget(MaxEvents: 60_000));
        var e = Assert.Throws<BudgetExceededException>(() => ExperimentRunner.Run(Mm1, options));
        Assert.That(e!.Message, Does.Contain("processed its budget of 60,000 events"));
    }

    [Test]
    public void ARunThatHoldsMoreMemoryThanItsBudgetIsStopped()
    {
        // An overloaded queue (load 2) grows without bound; a budget of 1 byte is exceeded at the first look.
        var overloaded = Mm1 with { Duration = 1e7, Warmup = 0, Replications = 1 };
        overloaded = overloaded with { Station = overloaded.Station! with { Interarrival = new VirtSim.Kernel.Random.Distribution.Exponential(0.5) } };
        var options = new RunOptions(Budget: new RunBudget(MaxMemoryBytes: 1));
        var e = Assert.Throws<BudgetExceededException>(() => ExperimentRunner.Run(overloaded, options));
        Assert.That(e!.Message, Does.Contain("more than its budget").And.Contain("--max-memory"));
    }

    [Test]
    public void ProgressCountsTheSimulatedTimeOfReplicationsUnderWay()
    {
        var reports = new List<double>();
        var progress = new Recorder(reports);
        ExperimentRunner.Run(Mm1 with { Replications = 3 }, new RunOptions(Parallelism: 1), progress);
        Assert.That(reports, Is.Not.Empty);
        Assert.That(reports[^1], Is.EqualTo(3));
        Assert.That(reports, Is.All.InRange(0, 3));
    }

    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
