using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Tests.Kernel;

public class FairShareTests
{
    private const double Tol = 1e-12;

    [Test]
    public void MaxMinAllocationOnTwoLinksMatchesTheHandComputation()
    {
        // Link 1 (capacity 1) carries A and B; link 2 (capacity 2) carries B, C and D.
        // Progressive filling: link 1 fills first at 0.5 each (A, B); link 2 then has
        // 2 - 0.5 = 1.5 left for C and D, 0.75 each.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var link1 = fs.AddResource(1, "link1");
        var link2 = fs.AddResource(2, "link2");
        var a = fs.CreateActivity().Uses(link1);
        var b = fs.CreateActivity().Uses(link1).Uses(link2);
        var c = fs.CreateActivity().Uses(link2);
        var d = fs.CreateActivity().Uses(link2);
        foreach (var act in new[] { a, b, c, d })
        {
            act.Start(100);
        }
        Assert.That(new[] { a.Rate, b.Rate, c.Rate, d.Rate }, Is.EqualTo(new[] { 0.5, 0.5, 0.75, 0.75 }).Within(Tol));
        Assert.That(link2.Load, Is.EqualTo(2).Within(Tol));
    }

    [Test]
    public void RateCapsHoldAndTheirLeftoverGoesToTheOthers()
    {
        // Four cores; one job capped at 0.5, three uncapped jobs share the remaining 3.5.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(4, "cpu");
        var capped = fs.CreateActivity().Uses(cpu);
        capped.RateCap = 0.5;
        capped.Start(10);
        var others = Enumerable.Range(0, 3).Select(_ => fs.CreateActivity().Uses(cpu)).ToList();
        others.ForEach(o => o.Start(10));
        Assert.That(capped.Rate, Is.EqualTo(0.5).Within(Tol));
        Assert.That(others.Select(o => o.Rate), Is.All.EqualTo(3.5 / 3).Within(Tol));
    }

    [Test]
    public void SharesDivideCapacityInProportion()
    {
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(6, "cpu");
        var heavy = fs.CreateActivity().Uses(cpu);
        heavy.Share = 2;
        var light = fs.CreateActivity().Uses(cpu);
        heavy.Start(100);
        light.Start(100);
        Assert.That((heavy.Rate, light.Rate), Is.EqualTo((4.0, 2.0)));
    }

    [Test]
    public void WeightsSayHowMuchOfAResourceOneUnitOfProgressUses()
    {
        // A transfer that crosses a link twice (weight 2) gets half the rate of one crossing once.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var link = fs.AddResource(3, "link");
        var twice = fs.CreateActivity().Uses(link, 2);
        var once = fs.CreateActivity().Uses(link, 1);
        twice.Start(10);
        once.Start(10);
        Assert.That((twice.Rate, once.Rate), Is.EqualTo((1.0, 1.0)));
        Assert.That(link.Load, Is.EqualTo(3));
    }

    [Test]
    public void CompletionTimesFollowTheChangingRates()
    {
        // One unit of capacity, works 1 and 3 started together: both run at 0.5 until the
        // first is done at t = 2; the second has 2 left and finishes alone at t = 4.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(1, "cpu");
        var done = new Dictionary<string, double>();
        IEnumerable<Await> Job(string name, double work)
        {
            yield return fs.CreateActivity().Uses(cpu).Run(work);
            done[name] = sim.Now;
        }
        sim.Start(Job("short", 1));
        sim.Start(Job("long", 3));
        sim.Run();
        Assert.That(done["short"], Is.EqualTo(2).Within(Tol));
        Assert.That(done["long"], Is.EqualTo(4).Within(Tol));
    }

    [Test]
    public void ALateArrivalSlowsTheRunningActivity()
    {
        // Work 4 alone at rate 1 for 1 s (3 left), then shares with a work-1 job at 0.5 each:
        // the newcomer ends at 1 + 2 = 3, the first then has 2 left at rate 1: ends at 5.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(1, "cpu");
        var first = fs.CreateActivity().Uses(cpu);
        var late = fs.CreateActivity().Uses(cpu);
        var ends = new List<(string, double)>();
        first.Completed = _ => ends.Add(("first", sim.Now));
        late.Completed = _ => ends.Add(("late", sim.Now));
        first.Start(4);
        sim.Schedule(1, () => late.Start(1));
        sim.Run();
        Assert.That(ends.Select(e => e.Item1), Is.EqualTo(new[] { "late", "first" }));
        Assert.That(ends.Select(e => e.Item2), Is.EqualTo(new[] { 3.0, 5.0 }).Within(Tol));
    }

    [Test]
    public void ChangingACapacityRescalesTheRatesAtOnce()
    {
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var disk = fs.AddResource(100, "disk");
        var read = fs.CreateActivity().Uses(disk);
        read.Start(1000);            // 10 s at full speed
        sim.Schedule(4, () => disk.SetCapacity(50));
        double end = -1;
        read.Completed = _ => end = sim.Now;
        sim.Run();
        // 400 done in 4 s, then 600 at 50/s = 12 s more.
        Assert.That(end, Is.EqualTo(16).Within(Tol));
    }

    [Test]
    public void CancellingKeepsTheWorkDoneAndFreesTheShare()
    {
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(2, "cpu");
        var a = fs.CreateActivity().Uses(cpu);
        var b = fs.CreateActivity().Uses(cpu);
        a.Start(100);
        b.Start(100);
        sim.Run(until: 10);
        a.Cancel();
        Assert.That(a.WorkDone, Is.EqualTo(10).Within(Tol));
        Assert.That(b.Rate, Is.EqualTo(2));
    }

    [Test]
    public void WorkDoneIsRightWhenAnotherActivityLeftAtTheSameInstant()
    {
        // Four activities share a 1-unit resource (0.25 each); at 30 s one is cancelled, which
        // leaves the others' new rates pending until they are read. Each has still done 7.5.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var cpu = fs.AddResource(1, "cpu");
        var all = Enumerable.Range(0, 4).Select(_ => fs.CreateActivity().Uses(cpu)).ToList();
        all.ForEach(a => a.Start(10));
        sim.Run(until: 30);
        var done = new List<double>();
        foreach (var a in all)
        {
            done.Add(a.WorkDone);
            a.Cancel();
        }
        Assert.That(done, Is.All.EqualTo(7.5).Within(Tol));
        Assert.That(all.Select(a => a.WorkDone), Is.All.EqualTo(7.5).Within(Tol));
    }

    [Test]
    public void IncrementalRecomputationEqualsRecomputingEverythingFromScratch()
    {
        // A random network of 12 links and activities over 1 to 3 of them, some capped, some
        // weighted, starting and finishing over time. After every event the rates of the
        // incremental engine must equal those of a full recomputation.
        var sim = new Simulation(11);
        var random = sim.Streams["topology"];
        var fs = new FairShare(sim);
        var links = Enumerable.Range(0, 12).Select(i => fs.AddResource(1 + random.Next(10), $"l{i}")).ToList();
        var activities = new List<Activity>();
        int checks = 0;
        for (int i = 0; i < 300; i++)
        {
            var act = fs.CreateActivity();
            int hops = 1 + random.Next(3);
            foreach (var link in links.OrderBy(_ => random.Next()).Take(hops))
            {
                act.Uses(link, random.NextDouble() < 0.2 ? 2 : 1);
            }
            if (random.NextDouble() < 0.3)
            {
                act.RateCap = 0.1 + random.NextDouble();
            }
            activities.Add(act);
            double start = random.NextDouble() * 50;
            double work = random.NextDouble() * 20;
            sim.Schedule(start, () => act.Start(work));
        }
        void Check()
        {
            var incremental = activities.Select(a => a.IsRunning ? a.Rate : 0).ToArray();
            fs.RecomputeAll();
            var full = activities.Select(a => a.IsRunning ? a.Rate : 0).ToArray();
            Assert.That(incremental, Is.EqualTo(full).Within(1e-9));
            foreach (var link in links)
            {
                Assert.That(link.Load, Is.LessThanOrEqualTo(link.Capacity * (1 + 1e-9)));
            }
            checks++;
        }
        while (sim.Run(maxEvents: 1) == StopReason.EventLimitReached)
        {
            Check();
        }
        Assert.That(checks, Is.GreaterThan(400));
        Assert.That(activities.All(a => !a.IsRunning), Is.True);
    }

    [Test]
    public void ManyEqualTransfersThroughOneLinkShareItAndFinishTogether()
    {
        // 5,000 transfers of 8 units through a link of capacity 100 started at one instant:
        // each gets 100 / 5,000 and all end at 5,000 · 8 / 100 = 400 s. A sixth-thousandth
        // transfer of 1 unit joining at t = 100 finds 5,000 sharing: it gets 100 / 5,001 and
        // ends at 100 + 5,001 / 100 = 150.01 s, delaying the others by 1 / 100 s.
        var sim = new Simulation();
        var fs = new FairShare(sim);
        var link = fs.AddResource(100, "repository uplink");
        var ends = new List<double>();
        for (int i = 0; i < 5000; i++)
        {
            var t = fs.CreateActivity().Uses(link);
            t.Completed = _ => ends.Add(sim.Now);
            t.Start(8);
        }
        var late = fs.CreateActivity().Uses(link);
        double lateEnd = -1;
        late.Completed = _ => lateEnd = sim.Now;
        sim.Schedule(100, () => late.Start(1));
        sim.Run();
        Assert.That(lateEnd, Is.EqualTo(150.01).Within(1e-9));
        Assert.That(ends, Has.Count.EqualTo(5000));
        Assert.That(ends, Is.All.EqualTo(400.01).Within(1e-9));
    }

    [Test]
    public void AnActivityNeedsAResourceOrACap()
    {
        var fs = new FairShare(new Simulation());
        Assert.Throws<InvalidOperationException>(() => fs.CreateActivity().Start(1));
    }
}
