using VirtSim.Kernel;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Resources;

namespace VirtSim.Tests.Kernel;

public class ResourceTests
{
    [Test]
    public void WaitersAreServedByPriorityThenInOrderOfArrival()
    {
        var sim = new Simulation();
        var server = new Resource(sim, 1);
        var order = new List<string>();
        IEnumerable<Await> Job(string name, double arrive, int priority)
        {
            yield return sim.Delay(arrive);
            yield return server.Request(priority);
            order.Add(name);
            yield return sim.Delay(10);
            server.Release();
        }
        sim.Start(Job("first", 0, 5));
        sim.Start(Job("low-a", 1, 5));
        sim.Start(Job("high", 2, 0));
        sim.Start(Job("low-b", 3, 5));
        sim.Start(Job("urgent", 4, -1));
        sim.Run();
        Assert.That(order, Is.EqualTo(new[] { "first", "urgent", "high", "low-a", "low-b" }));
    }

    [Test]
    public void AResourceNeverHandsOutMoreUnitsThanItHas()
    {
        var sim = new Simulation(5);
        var pool = new Resource(sim, 3);
        var random = sim.Streams["jobs"];
        int maxInUse = 0;
        IEnumerable<Await> Job()
        {
            yield return sim.Delay(random.NextDouble() * 10);
            yield return pool.Request();
            maxInUse = Math.Max(maxInUse, pool.InUse);
            yield return sim.Delay(random.NextDouble());
            pool.Release();
        }
        for (int i = 0; i < 200; i++)
        {
            sim.Start(Job());
        }
        sim.Run();
        Assert.That(maxInUse, Is.EqualTo(3));
        Assert.That(pool.InUse, Is.EqualTo(0));
    }

    [Test]
    public void ReleasingWithoutARequestIsRefused()
    {
        var sim = new Simulation();
        Assert.Throws<InvalidOperationException>(() => new Resource(sim, 1).Release());
    }

    [Test]
    public void AStoreHandsOutItemsFirstInFirstOut()
    {
        var sim = new Simulation();
        var store = new Store<int>(sim);
        var got = new List<(double, int)>();
        IEnumerable<Await> Consumer()
        {
            var slot = new Slot<int>();
            for (int i = 0; i < 3; i++)
            {
                yield return store.Get(slot);
                got.Add((sim.Now, slot.Value));
            }
        }
        sim.Start(Consumer());
        sim.Schedule(1, () => store.TryPut(10));
        sim.Schedule(2, () => { store.TryPut(20); store.TryPut(30); });
        sim.Run();
        Assert.That(got, Is.EqualTo(new[] { (1.0, 10), (2.0, 20), (2.0, 30) }));
    }

    [Test]
    public void AFullStoreMakesPuttersWaitUntilThereIsRoom()
    {
        var sim = new Simulation();
        var store = new Store<string>(sim, capacity: 1);
        var putDone = new List<(string, double)>();
        IEnumerable<Await> Producer()
        {
            foreach (string item in new[] { "a", "b" })
            {
                yield return store.Put(item);
                putDone.Add((item, sim.Now));
            }
        }
        IEnumerable<Await> Consumer()
        {
            var slot = new Slot<string>();
            yield return sim.Delay(5);
            yield return store.Get(slot);
            Assert.That(slot.Value, Is.EqualTo("a"));
        }
        sim.Start(Producer());
        sim.Start(Consumer());
        sim.Run();
        Assert.That(putDone, Is.EqualTo(new[] { ("a", 0.0), ("b", 5.0) }));
        Assert.That(store.Count, Is.EqualTo(1));
    }

    [Test]
    public void ALevelServesRequestsInOrderAndNeverGoesBelowZero()
    {
        var sim = new Simulation();
        var memory = new Level(capacity: 16);
        var granted = new List<(string, double)>();
        IEnumerable<Await> Vm(string name, double gib, double start, double hold)
        {
            yield return sim.Delay(start);
            yield return memory.Take(gib);
            granted.Add((name, sim.Now));
            Assert.That(memory.Available, Is.GreaterThanOrEqualTo(0));
            yield return sim.Delay(hold);
            memory.Give(gib);
        }
        sim.Start(Vm("big", 12, 0, 10));
        sim.Start(Vm("large", 8, 1, 1));   // must wait for "big"
        sim.Start(Vm("small", 2, 2, 1));   // fits now, but waits behind "large": strict order
        sim.Run();
        Assert.That(granted, Is.EqualTo(new[] { ("big", 0.0), ("large", 10.0), ("small", 10.0) }));
        Assert.That(memory.Available, Is.EqualTo(16));
        Assert.Throws<InvalidOperationException>(() => memory.Give(1));
    }
}
