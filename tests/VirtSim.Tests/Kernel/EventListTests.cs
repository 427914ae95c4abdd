using VirtSim.Kernel;

namespace VirtSim.Tests.Kernel;

/// <summary>
/// The event list orders by time, then by scheduling sequence, whether it is a heap or a ladder
/// queue: random workloads are replayed against a plain sorted reference, across the sizes at
/// which the list changes structure and back.
/// </summary>
public class EventListTests
{
    /// <summary>
    /// A hold-like workload: pop the earliest, push new ones after it by draws from
    /// <paramref name="delay"/>; the popped sequence must equal the reference's.
    /// </summary>
    private static void Replay(int seed, int initial, int steps, Func<System.Random, double> delay, Func<System.Random, int> pushesPerPop)
    {
        var random = new System.Random(seed);
        var queue = new EventQueue();
        var reference = new SortedSet<(double Time, long Seq)>();
        long seq = 0;
        double now = 0;
        var target = new object();
        for (int i = 0; i < initial; i++)
        {
            double time = delay(random);
            queue.Push(time, seq, target);
            reference.Add((time, seq++));
        }
        for (int step = 0; step < steps && reference.Count > 0; step++)
        {
            var expected = reference.Min;
            reference.Remove(expected);
            double peeked = queue.Peek().Time;
            var popped = queue.Pop();
            if (peeked != expected.Time || (popped.Time, popped.Seq) != expected)
            {
                Assert.Fail($"step {step}: peeked {peeked}, popped ({popped.Time}, {popped.Seq}), expected {expected}");
            }
            now = popped.Time;
            if (queue.Count > 0)
            {
                // As the simulation does after each pop: it may sort the next bucket early.
                queue.PrefetchAhead();
            }
            for (int k = pushesPerPop(random); k > 0; k--)
            {
                double time = now + delay(random);
                queue.Push(time, seq, target);
                reference.Add((time, seq++));
            }
            if (queue.Count != reference.Count)
            {
                Assert.Fail($"step {step}: {queue.Count} pending, expected {reference.Count}");
            }
        }
        Assert.That(queue.Count, Is.EqualTo(reference.Count));
    }

    [TestCase(1, 1_000)]
    [TestCase(2, 30_000)]
    [TestCase(3, 100_000)]
    public void AHoldModelPopsInTimeThenSequenceOrder(int seed, int pending) =>
        Replay(seed, pending, 3 * pending, r => -Math.Log(1 - r.NextDouble()), _ => 1);

    [Test]
    public void EqualTimesAndZeroDelaysKeepTheirSchedulingOrder()
    {
        // Times on a coarse grid (many ties), a third of the delays zero: the ties must come out
        // first scheduled, first served, also across buckets, rungs and the bottom list.
        Replay(4, 40_000, 120_000, r => r.Next(3) == 0 ? 0 : r.Next(1, 20) * 0.5, _ => 1);
    }

    [Test]
    public void EventsForNowInsertedIntoTheBottomKeepTheOrderAsItsSlotsAreReused()
    {
        // Three delays in four are zero: each such event joins the sorted bottom of the ladder,
        // ahead of the events already there, so the bottom fills up to its end while its head
        // moves on, and the slots of popped events are reused (or the bottom grows).
        Replay(8, 1_000, 60_000, r => r.Next(4) == 0 ? -Math.Log(1 - r.NextDouble()) : 0, _ => 1);
    }

    [Test]
    public void GrowingPastTheLadderAndShrinkingBackToTheHeapKeepsTheOrder()
    {
        // Pushes per pop alternate between growth and decay, so the list crosses both
        // thresholds several times.
        int phase = 0;
        Replay(5, 100, 400_000, r => r.NextDouble() * r.NextDouble() * 1e3, r =>
        {
            phase++;
            return (phase / 50_000) % 2 == 0 ? r.Next(0, 3) : r.Next(0, 2) * r.Next(0, 2);
        });
    }

    [Test]
    public void CrossingBetweenHeapAndLadderAtSmallSizesKeepsTheOrder()
    {
        // 400 steps of growth by one, then 400 of decay by one: from 30 pending to 430 and back,
        // across both thresholds fifty times.
        Assert.That(EventQueue.HeapBelow, Is.LessThan(30 + 400).And.GreaterThan(30));
        Assert.That(EventQueue.LadderAbove, Is.LessThan(30 + 400));
        int step = 0;
        Replay(7, 30, 40_000, r => -Math.Log(1 - r.NextDouble()), _ => (step++ / 400) % 2 == 0 ? 2 : 0);
    }

    [Test]
    public void AllAtOneTimeThenEarlierOnesStillComeFirst()
    {
        var queue = new EventQueue();
        var target = new object();
        long seq = 0;
        for (int i = 0; i < EventQueue.LadderAbove + 10; i++)
        {
            queue.Push(100, seq++, target);
        }
        Assert.That(queue.Pop().Seq, Is.EqualTo(0));
        queue.Push(50, seq++, target);
        queue.Push(100, seq++, target);
        Assert.That(queue.Pop().Time, Is.EqualTo(50));
        long last = 0;
        while (queue.Count > 0)
        {
            var entry = queue.Pop();
            Assert.That(entry.Time, Is.EqualTo(100));
            Assert.That(entry.Seq, Is.GreaterThan(last));
            last = entry.Seq;
        }
        Assert.That(last, Is.EqualTo(seq - 1));
    }

    [Test]
    public void FarFutureAndDenseNearEventsInterleave()
    {
        // Most events soon, some a million times further: the top list and many rungs at once.
        Replay(6, 50_000, 150_000, r => r.Next(100) == 0 ? 1e6 * r.NextDouble() : 1e-3 * r.NextDouble(), _ => 1);
    }
}
