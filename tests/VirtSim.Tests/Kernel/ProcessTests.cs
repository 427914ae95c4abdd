using VirtSim.Kernel;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Resources;

namespace VirtSim.Tests.Kernel;

public class ProcessTests
{
    [Test]
    public void DelaysRunOneAfterAnother()
    {
        var sim = new Simulation();
        var marks = new List<double>();
        IEnumerable<Await> Story()
        {
            yield return sim.Delay(2);
            marks.Add(sim.Now);
            yield return sim.Delay(0.5);
            marks.Add(sim.Now);
        }
        var p = sim.Start(Story());
        sim.Run();
        Assert.That(marks, Is.EqualTo(new[] { 2.0, 2.5 }));
        Assert.That(p.HasEnded, Is.True);
    }

    [Test]
    public void InterruptEndsADelayEarlyAndCarriesItsCause()
    {
        var sim = new Simulation();
        (double At, bool Interrupted, object? Cause) seen = default;
        var sleeper = sim.Start(self => Sleep(self));
        IEnumerable<Await> Sleep(Process self)
        {
            yield return sim.Delay(100);
            seen = (sim.Now, self.WasInterrupted, self.InterruptCause);
        }
        sim.Schedule(3, () => sleeper.Interrupt("power cut"));
        sim.Run();
        Assert.That(seen, Is.EqualTo((3.0, true, (object?)"power cut")));
    }

    [Test]
    public void InterruptedWaiterLeavesTheQueueAndTheUnitGoesToTheNext()
    {
        var sim = new Simulation();
        var server = new Resource(sim, 1);
        var got = new List<(string Who, double At)>();
        IEnumerable<Await> Customer(string name, Process self, double hold)
        {
            yield return server.Request();
            if (self.WasInterrupted)
            {
                got.Add(($"{name} gave up", sim.Now));
                yield break;
            }
            got.Add((name, sim.Now));
            yield return sim.Delay(hold);
            server.Release();
        }
        sim.Start(self => Customer("a", self, 10));
        var b = sim.Start(self => Customer("b", self, 1));
        sim.Start(self => Customer("c", self, 1));
        sim.Schedule(4, () => b.Interrupt());
        sim.Run();
        Assert.That(got, Is.EqualTo(new[] { ("a", 0.0), ("b gave up", 4.0), ("c", 10.0) }));
        Assert.That(server.InUse, Is.EqualTo(0));
        Assert.That(server.QueueLength, Is.EqualTo(0));
    }

    [Test]
    public void InterruptArrivingAfterAGrantTakesEffectAtTheNextWaitSoNothingIsLost()
    {
        var sim = new Simulation();
        var server = new Resource(sim, 1);
        var log = new List<string>();
        Process? waiter = null;
        IEnumerable<Await> Holder()
        {
            yield return server.Request();
            yield return sim.Delay(1);
            server.Release();           // the waiter is granted the unit and due to resume now...
            waiter!.Interrupt();        // ...when the interrupt comes
        }
        IEnumerable<Await> Waiter(Process self)
        {
            yield return server.Request();
            log.Add($"granted interrupted={self.WasInterrupted}");
            yield return sim.Delay(50);
            log.Add($"after delay at {sim.Now} interrupted={self.WasInterrupted}");
            server.Release();
        }
        sim.Start(Holder());
        waiter = sim.Start(self => Waiter(self));
        sim.Run();
        Assert.That(log, Is.EqualTo(new[] { "granted interrupted=False", "after delay at 1 interrupted=True" }));
        Assert.That(server.InUse, Is.EqualTo(0));
    }

    [Test]
    public void AnyOfSucceedsWithTheFirstEventAndAllOfWaitsForTheLast()
    {
        var sim = new Simulation();
        double anyAt = -1, allAt = -1;
        object? first = null;
        IEnumerable<Await> Watch()
        {
            var slow = sim.Timer(5);
            var fast = sim.Timer(2);
            yield return sim.AnyOf(slow, fast);
            anyAt = sim.Now;
            first = sim.ActiveProcess!.Value;
            Assert.That(first, Is.SameAs(fast));
            yield return sim.AllOf(slow, fast);
            allAt = sim.Now;
        }
        sim.Start(Watch());
        sim.Run();
        Assert.That((anyAt, allAt), Is.EqualTo((2.0, 5.0)));
    }

    [Test]
    public void WaitingOnAProcessResumesWhenItEnds()
    {
        var sim = new Simulation();
        double joinedAt = -1;
        IEnumerable<Await> Child()
        {
            yield return sim.Delay(7);
        }
        IEnumerable<Await> Parent()
        {
            var child = sim.Start(Child());
            yield return child;
            joinedAt = sim.Now;
        }
        sim.Start(Parent());
        sim.Run();
        Assert.That(joinedAt, Is.EqualTo(7));
    }

    [Test]
    public void AnEventDeliversItsValueAndWaitingOnItAfterwardsContinuesAtOnce()
    {
        var sim = new Simulation();
        var ready = new SimEvent(sim);
        var seen = new List<(double, object?)>();
        IEnumerable<Await> Listener(double startAt)
        {
            yield return sim.Delay(startAt);
            yield return ready;
            seen.Add((sim.Now, sim.ActiveProcess!.Value));
        }
        sim.Start(Listener(0));
        sim.Start(Listener(9));
        sim.Schedule(4, () => ready.Succeed("image ready"));
        sim.Run();
        Assert.That(seen, Is.EqualTo(new[] { (4.0, (object?)"image ready"), (9.0, "image ready") }));
    }
}
