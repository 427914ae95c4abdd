using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VirtSim.Kernel;

namespace VirtSim.Benchmarks;

/// <summary>
/// One pass over every case, one JSON object per line: what the issues' targets are stated in.
/// Steady state is reached before measuring (the event list and pools at full size), so the
/// allocation figure is what each further event costs.
/// </summary>
public static class QuickMode
{
    public static void Run(TextWriter output, string? only)
    {
        var cases = new (string Name, Func<Dictionary<string, object>> Run)[]
        {
            ("baseline-priorityqueue-1k", () => BarePriorityQueue(1_000)),
            ("baseline-priorityqueue-100k", () => BarePriorityQueue(100_000)),
            ("baseline-priorityqueue-1m", () => BarePriorityQueue(1_000_000)),
            ("eventlist-bare-1m", () => BareEventList(1_000_000)),
            ("hold-1k", () => Hold(1_000)),
            ("hold-10k", () => Hold(10_000)),
            ("hold-100k", () => Hold(100_000)),
            ("hold-1m", () => Hold(1_000_000)),
            ("mm4", MM4),
            ("fairshare-1k", () => FairShareCase(Workloads.FairShare(1_000))),
            ("fairshare-10k", () => FairShareCase(Workloads.FairShare(10_000))),
            ("fairshare-capped-1k", () => FairShareCase(Workloads.FairShareCapped(1_000))),
            ("network-10k-flows", () => FairShareCase(Workloads.NetworkFlows(10_000), events: 2_000)),
            ("network-10k-flows-in-racks", () => FairShareCase(Workloads.NetworkFlows(10_000, withinRacks: true), events: 20_000)),
            ("service-rho-0.95", ServiceNearSaturation),
            ("scale-20k-hosts", Scale20kHosts),
            ("containers-100k", Containers100k),
            ("faas-analytic", FaasAnalytic),
            ("faas-10m", Faas10m),
            ("faas-engines-1m", FaasEngines),
        };
        foreach (var (name, run) in cases)
        {
            if (only is not null && !name.Equals(only, StringComparison.Ordinal))
            {
                continue;
            }
            var fields = new Dictionary<string, object> { ["name"] = name };
            foreach (var (key, value) in run())
            {
                fields[key] = value;
            }
            output.WriteLine(JsonSerializer.Serialize(fields));
        }
    }

    private const long HoldEvents = 10_000_000;

    private static Dictionary<string, object> Hold(int processes)
    {
        // Memory a parked process keeps alive (process, iterator, its entry in the event list),
        // measured as live heap after full collections, so garbage does not count.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var sim = Workloads.Hold(processes);
        sim.Run(maxEvents: processes);       // every process has taken its first step and is parked
        double bytesPerProcess = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)processes;
        sim.Run(maxEvents: Math.Max(1_000_000, 2L * processes));   // warm up: JIT tiers, caches
        var measured = Measure(() => sim.Run(maxEvents: HoldEvents), () => HoldEvents);
        measured["pending_events"] = sim.PendingEvents;
        measured["bytes_per_parked_process"] = Round(bytesPerProcess);
        return measured;
    }

    /// <summary>
    /// The yardstick of the issue: .NET's PriorityQueue doing the hold model with no processes and
    /// no work, just pop the earliest time and push it forward by an exponential draw.
    /// </summary>
    private static Dictionary<string, object> BarePriorityQueue(int pending)
    {
        var random = new VirtSim.Kernel.Random.RandomStream(1);
        var queue = new PriorityQueue<int, double>(pending);
        for (int i = 0; i < pending; i++)
        {
            queue.Enqueue(i, -Math.Log(1 - random.NextDouble()));
        }
        void Loop(long events)
        {
            for (long e = 0; e < events; e++)
            {
                queue.TryDequeue(out int id, out double time);
                queue.Enqueue(id, time - Math.Log(1 - random.NextDouble()));
            }
        }
        Loop(1_000_000);
        return Measure(() => Loop(HoldEvents), () => HoldEvents);
    }

    /// <summary>
    /// The kernel's own event list under the same bare hold loop as <see cref="BarePriorityQueue"/>:
    /// what the list costs without processes to resume.
    /// </summary>
    private static Dictionary<string, object> BareEventList(int pending)
    {
        var random = new VirtSim.Kernel.Random.RandomStream(1);
        var queue = new EventQueue();
        var target = new object();
        long seq = 0;
        for (int i = 0; i < pending; i++)
        {
            queue.Push(-Math.Log(1 - random.NextDouble()), seq++, target);
        }
        void Loop(long events)
        {
            for (long e = 0; e < events; e++)
            {
                var entry = queue.Pop();
                queue.Push(entry.Time - Math.Log(1 - random.NextDouble()), seq++, target);
            }
        }
        Loop(1_000_000);
        return Measure(() => Loop(HoldEvents), () => HoldEvents);
    }

    private static Dictionary<string, object> MM4()
    {
        // Warm the JIT on a short run of the same model, then time a fresh one end to end.
        var (warm, _) = Workloads.MM4();
        warm.Run(until: 20_000);
        Collect();
        Simulation? sim = null;
        VirtSim.Datacenter.Workload.QueueingStation? station = null;
        long events = 0;
        var measured = Measure(() =>
        {
            (sim, station) = Workloads.MM4();
            // 1,000,000 customers at 3.2 per second arrive within 312,500 s.
            sim.Run(until: 1_000_000 / 3.2);
            events = sim.EventsProcessed;
        }, () => events);
        var served = station!.Measure().Single(m => m.Name == "customers_served").Value;
        measured["customers"] = served;
        return measured;
    }

    private static Dictionary<string, object> FairShareCase(Simulation sim, long events = 200_000)
    {
        // As many events again to warm up: the arrays that grow to their high-water marks (a flow
        // rerouted over four links for the first time, a link's most users yet) have mostly grown.
        sim.Run(maxEvents: events);
        return Measure(() => sim.Run(maxEvents: events), () => events);
    }

    private static Dictionary<string, object> ServiceNearSaturation()
    {
        var (sim, datacenter) = Workloads.ServiceNearSaturation();
        datacenter.Start();
        sim.Run(until: 600);   // past the VM's start and into steady state
        const long events = 200_000;
        var inFlight = new VirtSim.Kernel.Statistics.Tally();
        var cpu = datacenter.Hosts[0].Cpu;
        var measured = Measure(() =>
        {
            // Sampled every 1,000 events: the requests sharing the CPU.
            for (int i = 0; i < events / 1_000; i++)
            {
                sim.Run(maxEvents: 1_000);
                inFlight.Add(cpu.ActivityCount);
            }
        }, () => events);
        measured["requests_in_flight_mean"] = Round(inFlight.Mean);
        measured["requests_in_flight_max"] = inFlight.Max;
        return measured;
    }

    // This machine is a shared two-core VM: single runs of the same code vary by 20%. Each case
    // runs three times and reports its median run.
    private const int Repeats = 3;

    private static Dictionary<string, object> Scale20kHosts()
    {
        // Memory: live heap of the built datacenter per host and VM, after the VMs run.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var (probe, probeDc) = Workloads.Scale20kHosts();
        probeDc.Start();
        probe.Run(maxEvents: 1);
        double perEntity = (GC.GetTotalMemory(forceFullCollection: true) - before) / 60_000.0;
        GC.KeepAlive(probeDc);
        probe = null;
        probeDc = null;

        long events = 0;
        double makespan = double.NaN;
        var measured = Measure(() =>
        {
            var (sim, datacenter) = Workloads.Scale20kHosts();
            datacenter.Start();
            sim.Run();
            events = sim.EventsProcessed;
            makespan = datacenter.Measure().Single(m => m.Name == "tasks.makespan").Value;
            if (datacenter.Vms.Count(v => v.Phase == VirtSim.Datacenter.Virtualization.VmPhase.Running) != 40_000)
            {
                throw new InvalidOperationException("not every VM reached running");
            }
        }, () => events);
        measured["simulated_makespan_s"] = Round(makespan);
        measured["bytes_per_host_or_vm_at_start"] = Round(perEntity);
        return measured;
    }

    private static Dictionary<string, object> Containers100k()
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var (probe, probeDc) = Workloads.Containers100k();
        probeDc.Start();
        probe.Run();
        double perContainer = (GC.GetTotalMemory(forceFullCollection: true) - before) / 100_000.0;
        GC.KeepAlive(probeDc);
        probe = null;
        probeDc = null;

        long events = 0;
        int running = 0;
        double lastStart = 0;
        var measured = Measure(() =>
        {
            var (sim, datacenter) = Workloads.Containers100k();
            datacenter.Start();
            sim.Run();
            events = sim.EventsProcessed;
            var pods = datacenter.Containers!.Pods;
            running = pods.Count(p => p.Phase == VirtSim.Datacenter.Containers.PodPhase.Running);
            lastStart = pods.Max(p => p.RunningSince);
        }, () => events);
        if (running != 100_000)
        {
            throw new InvalidOperationException($"only {running} of 100,000 containers run");
        }
        measured["simulated_last_start_s"] = Round(lastStart);
        measured["bytes_per_container_after_start"] = Round(perContainer);
        return measured;
    }

    private static Dictionary<string, object> FaasAnalytic()
    {
        var (warm, warmDc) = Workloads.FaasAnalytic();
        warmDc.Start();
        warm.Run(until: 100_000);
        long events = 0;
        double coldRatio = double.NaN, instances = double.NaN;
        var measured = Measure(() =>
        {
            var (sim, datacenter) = Workloads.FaasAnalytic();
            datacenter.Start();
            sim.Run(until: 1_000_000);
            events = sim.EventsProcessed;
            var m = datacenter.Functions!.Measure().ToDictionary(x => x.Name, x => x.Value);
            coldRatio = m["f.cold_start_ratio"];
            instances = m["f.instances_mean"];
        }, () => events);
        measured["cold_start_ratio"] = Round(coldRatio);
        measured["instances_mean"] = Round(instances);
        return measured;
    }

    private static Dictionary<string, object> Faas10m()
    {
        long invocations = 0, events = 0;
        VirtSim.Datacenter.Datacenter? last = null;
        var measured = Measure(() =>
        {
            var (sim, datacenter) = Workloads.Faas10m();
            datacenter.Start();
            sim.Run(until: 10_000);
            events = sim.EventsProcessed;
            last = datacenter;
        }, () => events);
        invocations = (long)last!.Functions!.Measure().Where(m => m.Name.EndsWith(".invocations", StringComparison.Ordinal)).Sum(m => m.Value);
        // Bounded memory: what the whole platform keeps alive after 10 million invocations.
        measured["invocations"] = invocations;
        measured["live_megabytes_at_end"] = Round(GC.GetTotalMemory(forceFullCollection: true) / 1e6);
        GC.KeepAlive(last);
        return measured;
    }

    private static Dictionary<string, object> FaasEngines()
    {
        // Warm the JIT on a short run of the same model, then time fresh ones end to end.
        var (warm, warmDc) = Workloads.FaasEngines();
        warmDc.Start();
        warm.Run(until: 1_000);
        long invocations = 0, events = 0;
        double busyCoreSeconds = 0;
        var measured = Measure(() =>
        {
            var (sim, datacenter) = Workloads.FaasEngines();
            datacenter.Start();
            sim.Run(until: 10_000);
            events = sim.EventsProcessed;
            invocations = (long)datacenter.Functions!.Measure().Where(m => m.Name.EndsWith(".invocations", StringComparison.Ordinal)).Sum(m => m.Value);
            busyCoreSeconds = datacenter.Hosts.Sum(h => h.BusyCoreSeconds);
        }, () => events);
        measured["invocations"] = invocations;
        // Each invocation's 200 ms of CPU counted on the nodes: about 0.2 core-seconds apiece.
        measured["busy_core_seconds_per_invocation"] = Round(busyCoreSeconds / invocations);
        return measured;
    }

    private static Dictionary<string, object> Measure(Action run, Func<long> events)
    {
        var runs = new List<(double Seconds, long Allocated, int Gen2, long Events)>();
        for (int i = 0; i < Repeats; i++)
        {
            Collect();
            int gen2 = GC.CollectionCount(2);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            run();
            clock.Stop();
            runs.Add((clock.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - allocated, GC.CollectionCount(2) - gen2, events()));
        }
        var median = runs.OrderBy(r => r.Seconds).ElementAt(Repeats / 2);
        return new Dictionary<string, object>
        {
            ["events"] = median.Events,
            ["events_per_second"] = Round(median.Events / median.Seconds),
            ["allocated_bytes_per_event"] = Round(median.Allocated / (double)median.Events),
            ["gen2_collections"] = runs.Max(r => r.Gen2),
            ["wall_seconds"] = Round(median.Seconds),
            ["runs"] = Repeats,
        };
    }

    private static double Round(double x) => double.Parse(x.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
