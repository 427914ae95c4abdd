using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;

namespace VirtSim.Tests.Kernel;

/// <summary>
/// The virtual clock (O(log n) sharing of one resource) gives the rates and completion times of
/// plain progressive filling: the same random workloads run twice, with the clock and without,
/// must agree to 1e-9 relative at every checkpoint (on one resource, and on two that every
/// activity uses with one weight, as a VM's requests use the host's CPU and the VM's vCPUs).
/// </summary>
public class VirtualClockTests
{
    private sealed class World
    {
        public readonly Simulation Sim;
        public readonly FairShare Engine;
        public readonly SharedResource Resource;
        public readonly List<Activity> Activities = [];
        public readonly double[] Ends;

        public World(int seed, bool clocks, int count, double cappedShare, bool twoResources = false)
        {
            Sim = new Simulation((ulong)seed);
            Engine = new FairShare(Sim) { ClocksAllowed = clocks };
            var random = new System.Random(seed);
            Resource = Engine.AddResource(1 + random.Next(50), "r");
            // A second resource every activity also uses, with its weight on the first: a VM's vCPUs.
            var second = twoResources ? Engine.AddResource(1 + random.Next(50), "r2") : null;
            Ends = new double[count];
            for (int i = 0; i < count; i++)
            {
                double weight = random.NextDouble() < 0.3 ? 1 + random.NextDouble() : 1;
                var activity = Engine.CreateActivity().Uses(Resource, weight);
                if (second is not null)
                {
                    activity.Uses(second, weight);
                }
                activity.Share = random.NextDouble() < 0.3 ? 0.5 + 2 * random.NextDouble() : 1;
                if (random.NextDouble() < cappedShare)
                {
                    // Caps around the fair share, so that some bind and some do not, and which ones changes.
                    activity.RateCap = Resource.Capacity / count * (0.3 + 2 * random.NextDouble());
                }
                int index = i;
                activity.Completed = _ => Ends[index] = Sim.Now;
                Activities.Add(activity);
                double start = random.NextDouble() < 0.5 ? 0 : random.NextDouble() * 10;
                double work = random.NextDouble() < 0.05 ? 0 : random.NextDouble() * 5;
                Sim.Schedule(start, () => activity.Start(work));
            }
            // A capacity change in the middle, and one cancellation.
            double changeAt = random.NextDouble() * 10;
            double newCapacity = 1 + random.Next(50);
            Sim.Schedule(changeAt, () => Resource.SetCapacity(newCapacity));
            var victim = Activities[random.Next(count)];
            Sim.Schedule(random.NextDouble() * 10, victim.Cancel);
        }
    }

    private static void Agree(int seed, int count, double cappedShare, bool twoResources = false)
    {
        var fast = new World(seed, clocks: true, count, cappedShare, twoResources);
        var plain = new World(seed, clocks: false, count, cappedShare, twoResources);
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
                    Assert.Fail($"seed {seed}, t {t}: activity {i} running {a.IsRunning} with the clock, {b.IsRunning} without");
                }
                if (a.IsRunning && !Close(a.Rate, b.Rate))
                {
                    Assert.Fail($"seed {seed}, t {t}: activity {i} rate {a.Rate:R} with the clock, {b.Rate:R} without");
                }
                // Work done to 1e-9 of the largest work drawn (5): an activity just started has done
                // almost nothing, and a relative comparison of two near-zero numbers says nothing.
                if (Math.Abs(a.WorkDone - b.WorkDone) > 1e-9 * 5)
                {
                    Assert.Fail($"seed {seed}, t {t}: activity {i} work done {a.WorkDone:R} with the clock, {b.WorkDone:R} without");
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (!Close(fast.Ends[i], plain.Ends[i]))
            {
                Assert.Fail($"seed {seed}: activity {i} ended at {fast.Ends[i]:R} with the clock, {plain.Ends[i]:R} without");
            }
        }
    }

    private static bool Close(double x, double y) => x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));

    [Test]
    public void UncappedActivitiesAgreeWithProgressiveFilling()
    {
        for (int seed = 0; seed < 1000; seed++)
        {
            Agree(seed, count: 40 + seed % 60, cappedShare: 0);
        }
    }

    [Test]
    public void CappedActivitiesAgreeWithProgressiveFilling()
    {
        for (int seed = 1000; seed < 2000; seed++)
        {
            Agree(seed, count: 40 + seed % 60, cappedShare: seed % 2 == 0 ? 0.5 : 1);
        }
    }

    [Test]
    public void ActivitiesUsingTwoResourcesAlikeAgreeWithProgressiveFilling()
    {
        for (int seed = 2000; seed < 2500; seed++)
        {
            Agree(seed, count: 40 + seed % 60, cappedShare: seed % 2 == 0 ? 0 : 0.5, twoResources: true);
        }
    }

    /// <summary>
    /// Two resources, each with enough activities for a clock of its own. An activity that
    /// completes starts again at once in three cases of five (the pattern of a job replaced on
    /// completion): mostly as it was, sometimes with another rate cap, sometimes on the other
    /// resource. Draws come from a generator per activity, so both runs make the same choices.
    /// </summary>
    private sealed class RestartWorld
    {
        public readonly Simulation Sim;
        public readonly FairShare Engine;
        public readonly SharedResource[] Resources;
        public readonly List<Activity> Activities = [];
        public readonly int[] Completions;
        public readonly double[] LastEnd;

        public RestartWorld(int seed, bool clocks, int count)
        {
            Sim = new Simulation((ulong)seed);
            Engine = new FairShare(Sim) { ClocksAllowed = clocks };
            var random = new System.Random(seed);
            Resources = [Engine.AddResource(1 + random.Next(20), "a"), Engine.AddResource(1 + random.Next(20), "b")];
            Completions = new int[count];
            LastEnd = new double[count];
            for (int i = 0; i < count; i++)
            {
                var own = new System.Random(seed * 1_000 + i);
                var activity = Engine.CreateActivity().Uses(Resources[i % 2], own.NextDouble() < 0.3 ? 1 + own.NextDouble() : 1);
                activity.Share = own.NextDouble() < 0.3 ? 0.5 + 2 * own.NextDouble() : 1;
                // Caps around the fair share (capacities up to 20, about count / 2 on each), so some bind.
                double Cap() => own.NextDouble() < 0.5 ? double.PositiveInfinity : 20.0 / count * (0.3 + 2 * own.NextDouble());
                activity.RateCap = Cap();
                int index = i;
                activity.Completed = a =>
                {
                    Completions[index]++;
                    LastEnd[index] = Sim.Now;
                    double choice = own.NextDouble();
                    double work = own.NextDouble() * 3;
                    if (choice < 0.4)
                    {
                        a.Start(work);
                    }
                    else if (choice < 0.5)
                    {
                        a.RateCap = Cap();
                        a.Start(work);
                    }
                    else if (choice < 0.6)
                    {
                        var other = ReferenceEquals(a.Usages[0].Resource, Resources[0]) ? Resources[1] : Resources[0];
                        double weight = a.Usages[0].Weight;
                        a.ClearUses();
                        a.Uses(other, weight).Start(work);
                    }
                };
                Activities.Add(activity);
                double start = own.NextDouble() < 0.8 ? 0 : own.NextDouble() * 2;
                double first = own.NextDouble() * 3;
                Sim.Schedule(start, () => activity.Start(first));
            }
        }
    }

    [Test]
    public void ActivitiesStartedAgainAsTheyCompleteAgreeWithProgressiveFilling()
    {
        // Covers what a clock keeps across an instant: an activity taken out on completion and put
        // back in the same instant, with the same cap, another cap, or on another resource's clock.
        for (int seed = 3000; seed < 3300; seed++)
        {
            int count = 4 * FairShare.ClockAbove + seed % 40;
            var fast = new RestartWorld(seed, clocks: true, count);
            var plain = new RestartWorld(seed, clocks: false, count);
            bool clockSeen = false;
            for (double t = 0.5; t <= 30; t += 0.5)
            {
                fast.Sim.Run(until: t);
                plain.Sim.Run(until: t);
                clockSeen |= fast.Resources.Any(r => r.Clock is not null);
                for (int i = 0; i < count; i++)
                {
                    var a = fast.Activities[i];
                    var b = plain.Activities[i];
                    if (fast.Completions[i] != plain.Completions[i] || a.IsRunning != b.IsRunning)
                    {
                        Assert.Fail($"seed {seed}, t {t}: activity {i} completed {fast.Completions[i]} times with the clock, {plain.Completions[i]} without");
                    }
                    if (a.IsRunning && !Close(a.Rate, b.Rate))
                    {
                        Assert.Fail($"seed {seed}, t {t}: activity {i} rate {a.Rate:R} with the clock, {b.Rate:R} without");
                    }
                    if (!Close(fast.LastEnd[i], plain.LastEnd[i]))
                    {
                        Assert.Fail($"seed {seed}, t {t}: activity {i} last ended at {fast.LastEnd[i]:R} with the clock, {plain.LastEnd[i]:R} without");
                    }
                }
            }
            Assert.That(clockSeen, $"seed {seed}: no clock in use, so nothing was compared");
        }
    }

    [Test]
    public void TheClockIsUsedForManyActivitiesAndLeftForFew()
    {
        // Without this the tests above could pass by never using the clock.
        var sim = new Simulation(1);
        var engine = new FairShare(sim);
        var resource = engine.AddResource(10, "r");
        var activities = Enumerable.Range(0, FairShare.ClockAbove).Select(_ => engine.CreateActivity().Uses(resource)).ToList();
        foreach (var (activity, i) in activities.Select((a, i) => (a, i)))
        {
            activity.Start(1 + i);
        }
        Assert.That(activities[0].Rate, Is.EqualTo(10.0 / FairShare.ClockAbove).Within(1e-12));
        Assert.That(resource.Clock, Is.Not.Null);
        sim.Run(until: 1e6);
        Assert.That(activities.All(a => !a.IsRunning));
        Assert.That(resource.Clock, Is.Null, "with none left the plain pass is back");
    }

    [Test]
    public void ManyActivitiesOnAHostsCpuAndOneVmsVcpusShareOneClock()
    {
        // 16 cores and an 8-vCPU VM, requests weighted 1.05 (the hypervisor's cost) on both,
        // each at most one core: 40 in flight get 8 / 1.05 / 40 each, the VM's vCPUs binding.
        var sim = new Simulation(1);
        var engine = new FairShare(sim);
        var host = engine.AddResource(16, "host.cpu");
        var vcpus = engine.AddResource(8, "vm.vcpus");
        var requests = Enumerable.Range(0, 40).Select(_ => engine.CreateActivity().Uses(host, 1.05).Uses(vcpus, 1.05)).ToList();
        foreach (var request in requests)
        {
            request.RateCap = 1 / 1.05;
            request.Start(1);
        }
        Assert.That(requests[0].Rate, Is.EqualTo(8 / 1.05 / 40).Within(1e-12));
        Assert.That(host.Clock, Is.Not.Null.And.SameAs(vcpus.Clock));
        Assert.That(host.Load, Is.EqualTo(8).Within(1e-9));
    }

    [Test]
    public void AnActivityOnTwoResourcesTakesTheResourceOffTheClock()
    {
        var sim = new Simulation(1);
        var engine = new FairShare(sim);
        var shared = engine.AddResource(10, "shared");
        var other = engine.AddResource(1, "other");
        foreach (int i in Enumerable.Range(0, 2 * FairShare.ClockAbove))
        {
            engine.CreateActivity().Uses(shared).Start(100);
        }
        Assert.That(engine.CreateActivity().Uses(shared).Rate, Is.Zero);
        Assert.That(shared.Clock, Is.Not.Null);
        var both = engine.CreateActivity().Uses(shared).Uses(other);
        both.Start(100);
        // 2·32 + 1 activities share 10: each 10/65, the two-resource one too (other has room).
        Assert.That(both.Rate, Is.EqualTo(10.0 / 65).Within(1e-12));
        Assert.That(shared.Clock, Is.Null);
    }
}
