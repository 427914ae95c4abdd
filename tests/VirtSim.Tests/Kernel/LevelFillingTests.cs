using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;

namespace VirtSim.Tests.Kernel;

/// <summary>
/// The filling by levels (a heap of the levels at which resources run out) gives the rates of the
/// plain progressive filling on networks: random topologies of links, flows over one to four of
/// them with weights, shares and caps, starting, ending, cancelled and a capacity changed; the same
/// run twice, by levels and by the plain pass, must agree to 1e-9 relative at every checkpoint.
/// </summary>
public class LevelFillingTests
{
    private sealed class World
    {
        public readonly Simulation Sim;
        public readonly FairShare Engine;
        public readonly List<Activity> Activities = [];
        public readonly double[] Ends;

        public World(int seed, bool byLevels, int count, int links, double cappedShare)
        {
            Sim = new Simulation((ulong)seed);
            Engine = new FairShare(Sim) { LevelFillAllowed = byLevels, ClocksAllowed = false };
            var random = new System.Random(seed);
            var resources = Enumerable.Range(0, links)
                .Select(i => Engine.AddResource(random.NextDouble() < 0.05 ? 0 : 1 + random.Next(50), $"link{i}"))
                .ToArray();
            Ends = new double[count];
            for (int i = 0; i < count; i++)
            {
                var activity = Engine.CreateActivity();
                int uses = 1 + random.Next(Math.Min(4, links));
                for (int k = 0; k < uses; k++)
                {
                    double weight = random.NextDouble() < 0.3 ? 0.5 + random.NextDouble() : 1;
                    activity.Uses(resources[random.Next(links)], weight);
                }
                activity.Share = random.NextDouble() < 0.3 ? 0.5 + 2 * random.NextDouble() : 1;
                if (random.NextDouble() < cappedShare)
                {
                    activity.RateCap = 50.0 / count * (0.3 + 2 * random.NextDouble());
                }
                int index = i;
                activity.Completed = _ => Ends[index] = Sim.Now;
                Activities.Add(activity);
                double start = random.NextDouble() < 0.5 ? 0 : random.NextDouble() * 10;
                double work = random.NextDouble() < 0.05 ? 0 : random.NextDouble() * 5;
                Sim.Schedule(start, () => activity.Start(work));
            }
            var changed = resources[random.Next(links)];
            double newCapacity = 1 + random.Next(50);
            Sim.Schedule(random.NextDouble() * 10, () => changed.SetCapacity(newCapacity));
            var victim = Activities[random.Next(count)];
            Sim.Schedule(random.NextDouble() * 10, victim.Cancel);
        }
    }

    private static void Agree(int seed, int count, int links, double cappedShare)
    {
        var fast = new World(seed, byLevels: true, count, links, cappedShare);
        var plain = new World(seed, byLevels: false, count, links, cappedShare);
        for (double t = 0.5; t <= 40; t += 0.5)
        {
            fast.Sim.Run(until: t);
            plain.Sim.Run(until: t);
            for (int i = 0; i < count; i++)
            {
                var a = fast.Activities[i];
                var b = plain.Activities[i];
                if (a.IsRunning != b.IsRunning)
                {
                    Assert.Fail($"seed {seed}, t {t}: activity {i} running {a.IsRunning} by levels, {b.IsRunning} by the plain pass");
                }
                if (a.IsRunning && !Close(a.Rate, b.Rate))
                {
                    Assert.Fail($"seed {seed}, t {t}: activity {i} rate {a.Rate:R} by levels, {b.Rate:R} by the plain pass");
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (!Close(fast.Ends[i], plain.Ends[i]))
            {
                Assert.Fail($"seed {seed}: activity {i} ended at {fast.Ends[i]:R} by levels, {plain.Ends[i]:R} by the plain pass");
            }
        }
    }

    /// <summary>
    /// The max-min conditions themselves, checked on one run's rates with no filling of their own:
    /// no resource carries more than its capacity, and every running activity has a bottleneck,
    /// either its cap or a resource that is full and on which no activity has a higher level
    /// (rate over share). An allocation with both properties is the weighted max-min one, so a
    /// wrong start to the filling (a weight counted twice, a cap forgotten) fails here even when
    /// both fillings share it.
    /// </summary>
    private static void MaxMinHolds(World world, int seed, double t)
    {
        var load = new Dictionary<SharedResource, double>();
        var highest = new Dictionary<SharedResource, double>();
        var running = world.Activities.Where(a => a.IsRunning).ToList();
        foreach (var activity in running)
        {
            double rate = activity.Rate;
            for (int k = 0; k < activity.UsageCount; k++)
            {
                var usage = activity.Usages[k];
                load[usage.Resource] = load.GetValueOrDefault(usage.Resource) + usage.Weight * rate;
                highest[usage.Resource] = Math.Max(highest.GetValueOrDefault(usage.Resource), rate / activity.Share);
            }
        }
        foreach (var (resource, used) in load)
        {
            if (used > resource.Capacity * (1 + 1e-9) + 1e-12)
            {
                Assert.Fail($"seed {seed}, t {t}: {resource.Name} carries {used:R} of {resource.Capacity:R}");
            }
        }
        foreach (var activity in running)
        {
            double rate = activity.Rate;
            double level = rate / activity.Share;
            bool bottleneck = rate >= activity.RateCap * (1 - 1e-9);
            for (int k = 0; k < activity.UsageCount && !bottleneck; k++)
            {
                var resource = activity.Usages[k].Resource;
                bottleneck = load[resource] >= resource.Capacity * (1 - 1e-9)
                    && highest[resource] <= level * (1 + 1e-9) + 1e-12;
            }
            if (!bottleneck)
            {
                Assert.Fail($"seed {seed}, t {t}: activity at rate {rate:R} (cap {activity.RateCap:R}) has no bottleneck");
            }
        }
    }

    [Test]
    public void EveryFlowHasABottleneckAndNoLinkIsOverloaded()
    {
        for (int seed = 3000; seed < 3300; seed++)
        {
            var world = new World(seed, byLevels: seed % 2 == 0, count: 64 + seed % 100, links: 8 + seed % 40, cappedShare: seed % 3 == 0 ? 0.4 : 0);
            for (double t = 0.5; t <= 12; t += 0.5)
            {
                world.Sim.Run(until: t);
                MaxMinHolds(world, seed, t);
            }
        }
    }

    private static bool Close(double x, double y) => x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));

    [Test]
    public void FlowsOnRandomNetworksAgreeWithProgressiveFilling()
    {
        for (int seed = 0; seed < 1500; seed++)
        {
            Agree(seed, count: 64 + seed % 100, links: 8 + seed % 40, cappedShare: 0);
        }
    }

    [Test]
    public void CappedFlowsOnRandomNetworksAgreeWithProgressiveFilling()
    {
        for (int seed = 1500; seed < 3000; seed++)
        {
            Agree(seed, count: 64 + seed % 100, links: 8 + seed % 40, cappedShare: seed % 2 == 0 ? 0.4 : 1);
        }
    }

    [Test]
    public void AHandComputedMaxMinAllocation()
    {
        // Links a (10) and b (4); flow one on a, flow two on a and b, flow three on b capped at 1,
        // and 64 more on a (enough to be filled by levels). a binds first: its 66 flows get 10/66
        // each, flow two included; three stops at its cap of 1; b carries 1 + 10/66 of its 4.
        var sim = new Simulation(1);
        var engine = new FairShare(sim) { ClocksAllowed = false };
        var a = engine.AddResource(10, "a");
        var b = engine.AddResource(4, "b");
        var one = engine.CreateActivity().Uses(a);
        var two = engine.CreateActivity().Uses(a).Uses(b);
        var three = engine.CreateActivity().Uses(b);
        three.RateCap = 1;
        var more = Enumerable.Range(0, FairShare.LevelFillActivities).Select(_ => engine.CreateActivity().Uses(a)).ToList();
        foreach (var activity in more.Append(one).Append(two).Append(three))
        {
            activity.Start(100);
        }
        int onA = FairShare.LevelFillActivities + 2;
        Assert.That(one.Rate, Is.EqualTo(10.0 / onA).Within(1e-12));
        Assert.That(two.Rate, Is.EqualTo(10.0 / onA).Within(1e-12));
        Assert.That(three.Rate, Is.EqualTo(1).Within(1e-12));
        Assert.That(b.Load, Is.EqualTo(1 + 10.0 / onA).Within(1e-12));
    }
}
