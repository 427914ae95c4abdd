using VirtSim.Kernel;

namespace VirtSim.Tests.Kernel;

public class EventOrderTests
{
    [Test]
    public void EventsAtEqualTimesFireInTheOrderTheyWereScheduled()
    {
        var sim = new Simulation();
        var fired = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int id = i;
            // Alternate two times so that equal-time events are interleaved in the heap.
            sim.Schedule(id % 2 == 0 ? 5 : 3, () => fired.Add(id));
        }
        sim.Run();
        var expected = Enumerable.Range(0, 100).Where(i => i % 2 == 1).Concat(Enumerable.Range(0, 100).Where(i => i % 2 == 0));
        Assert.That(fired, Is.EqualTo(expected));
    }

    [Test]
    public void EventsFireInTimeOrderWhateverOrderTheyWereScheduledIn()
    {
        var sim = new Simulation();
        var random = new System.Random(3);
        var times = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() * 100).ToList();
        var seen = new List<double>();
        foreach (double t in times)
        {
            sim.Schedule(t, () => seen.Add(sim.Now));
        }
        sim.Run();
        Assert.That(seen, Is.EqualTo(times.OrderBy(t => t)));
    }

    [Test]
    public void RunStopsAtTheRequestedTimeAndCanContinue()
    {
        var sim = new Simulation();
        var fired = new List<double>();
        foreach (double t in new[] { 1.0, 2.0, 3.0 })
        {
            sim.Schedule(t, () => fired.Add(sim.Now));
        }
        Assert.That(sim.Run(until: 2.5), Is.EqualTo(StopReason.TimeReached));
        Assert.That(sim.Now, Is.EqualTo(2.5));
        Assert.That(fired, Is.EqualTo(new[] { 1.0, 2.0 }));
        Assert.That(sim.Run(), Is.EqualTo(StopReason.NoMoreEvents));
        Assert.That(fired, Is.EqualTo(new[] { 1.0, 2.0, 3.0 }));
    }

    [Test]
    public void WhenEventsRunOutBeforeTheEndTimeTheClockStillReachesIt()
    {
        // A measurement window must be as long as asked, even if nothing happens at its end.
        var sim = new Simulation();
        sim.Schedule(1, () => { });
        Assert.That(sim.Run(until: 50), Is.EqualTo(StopReason.NoMoreEvents));
        Assert.That(sim.Now, Is.EqualTo(50));
    }

    [Test]
    public void EndOfInstantActionsRunAfterTheLastEventOfTheirInstantAndBeforeTheClockMoves()
    {
        var sim = new Simulation();
        var log = new List<string>();
        sim.Schedule(1, () =>
        {
            log.Add("a@1");
            sim.AtEndOfInstant(() =>
            {
                log.Add($"end@{sim.Now}");
                sim.Schedule(0, () => log.Add("scheduled-by-end@1"));
            });
        });
        sim.Schedule(1, () => log.Add("b@1"));
        sim.Schedule(2, () => log.Add("c@2"));
        sim.Run();
        Assert.That(log, Is.EqualTo(new[] { "a@1", "b@1", "end@1", "scheduled-by-end@1", "c@2" }));
    }

    [Test]
    public void RunStopsAfterTheRequestedNumberOfEvents()
    {
        var sim = new Simulation();
        int count = 0;
        for (int i = 0; i < 10; i++)
        {
            sim.Schedule(i, () => count++);
        }
        Assert.That(sim.Run(maxEvents: 4), Is.EqualTo(StopReason.EventLimitReached));
        Assert.That(count, Is.EqualTo(4));
        Assert.That(sim.EventsProcessed, Is.EqualTo(4));
    }

    [Test]
    public void RunStopsWhenCancelled()
    {
        var sim = new Simulation();
        using var cancel = new CancellationTokenSource();
        int count = 0;
        void Tick()
        {
            if (++count == 5000)
            {
                cancel.Cancel();
            }
            sim.Schedule(1, Tick);
        }
        sim.Schedule(0, Tick);
        Assert.That(sim.Run(cancellation: cancel.Token), Is.EqualTo(StopReason.Cancelled));
        Assert.That(count, Is.InRange(5000, 5000 + 1024));
    }

    [Test]
    public void ModelCanStopTheRun()
    {
        var sim = new Simulation();
        sim.Schedule(1, sim.Stop);
        sim.Schedule(2, () => Assert.Fail("ran past Stop"));
        Assert.That(sim.Run(), Is.EqualTo(StopReason.Stopped));
        Assert.That(sim.Now, Is.EqualTo(1));
    }

    [Test]
    public void NegativeOrInfiniteDelaysAreRefused()
    {
        var sim = new Simulation();
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(-1, () => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(double.NaN, () => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Delay(double.PositiveInfinity));
    }
}
