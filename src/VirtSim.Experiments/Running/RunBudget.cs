using System.Globalization;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Running;

/// <summary>
/// What one run may use: events per replication and memory for the whole process. A scenario
/// whose arrivals alone would need more events than the budget is refused before it runs (see
/// <see cref="Check"/>); a run that reaches either limit stops with a
/// <see cref="BudgetExceededException"/> and writes nothing.
/// </summary>
/// <param name="MaxEvents">Events one replication may process. The default, a billion, allows
/// every example (the largest needs about 10 million) and takes minutes, not hours, at the
/// kernel's measured 3–8 million events per second.</param>
/// <param name="MaxMemoryBytes">Managed memory the process may hold while replications run; null
/// takes half of the memory available to it.</param>
public sealed record RunBudget(long MaxEvents = RunBudget.DefaultMaxEvents, long? MaxMemoryBytes = null)
{
    /// <summary>The default number of events a replication may process.</summary>
    public const long DefaultMaxEvents = 1_000_000_000;

    /// <summary>
    /// How many replications' worth of <see cref="MaxEvents"/> a whole run may need: a hundred
    /// times a replication's budget, 10^11 events by default, hours at the kernel's speed. More
    /// replications than that is a sweep for a cluster (<c>--shard</c>), not for one process.
    /// </summary>
    public const long RunEventsPerReplicationBudget = 100;

    /// <summary>The events a whole run (all its replications, on this process) may need.</summary>
    public double MaxRunEvents => (double)MaxEvents * RunEventsPerReplicationBudget;

    /// <summary>The default budget.</summary>
    public static RunBudget Default { get; } = new();

    /// <summary>
    /// The memory limit in force, in bytes: half of what the process may have, the smaller of the
    /// memory .NET sees (a container's limit included) and the address space <c>ulimit -v</c> allows.
    /// </summary>
    public long MemoryLimit => MaxMemoryBytes ?? Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, AddressSpaceLimit() ?? long.MaxValue) / 2;

    /// <summary>The process's limit on its address space (RLIMIT_AS, <c>ulimit -v</c>) in bytes, or null when there is none or it cannot be read.</summary>
    internal static long? AddressSpaceLimit()
    {
        const string limits = "/proc/self/limits";
        if (!OperatingSystem.IsLinux() || !File.Exists(limits))
        {
            return null;
        }
        try
        {
            foreach (string line in File.ReadLines(limits))
            {
                if (line.StartsWith("Max address space", StringComparison.Ordinal))
                {
                    var fields = line["Max address space".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) ? bytes : null;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>
    /// A lower bound on the events one replication of <paramref name="scenario"/> processes: each
    /// arrival, ping, traced call, batch task, VM and pod is at least one event. With what
    /// contributes most, for the message.
    /// </summary>
    public static (double Events, string Largest) Estimate(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double horizon = scenario.Warmup + scenario.Duration;
        var parts = new List<(double Events, string What)>();
        if (scenario.Station is { } station)
        {
            // An arrival and a departure each.
            parts.Add((2 * Arrivals(horizon, station.Interarrival.Mean, null), $"the station's arrivals at {Rate(station.Interarrival.Mean)}"));
        }
        if (scenario.Datacenter is { } dc)
        {
            foreach (var service in dc.Services)
            {
                parts.Add((Arrivals(horizon, service.Interarrival.Mean, service.RequestLimit), $"service '{service.Name}' at {Rate(service.Interarrival.Mean)}"));
            }
            foreach (var batch in dc.Batches)
            {
                parts.Add((batch.Tasks, $"batch '{batch.Name}' of {batch.Tasks:N0} tasks"));
            }
            foreach (var group in dc.Vms)
            {
                parts.Add((group.Count, $"VM group '{group.Vm.Name}' of {group.Count:N0} VMs"));
            }
            foreach (var group in dc.Pods ?? [])
            {
                parts.Add((group.Count, $"pod group '{group.Pod.Name}' of {group.Count:N0} pods"));
            }
            foreach (var function in dc.Functions?.Functions ?? [])
            {
                AddFunction(parts, function, horizon);
            }
            AddCalls(parts, dc.Functions?.Functions ?? [], horizon);
        }
        if (parts.Count == 0)
        {
            return (0, "nothing");
        }
        var largest = parts.MaxBy(p => p.Events);
        return (parts.Sum(p => p.Events), largest.What);
    }

    /// <summary>
    /// Memory a replication's hosts, VMs and pods take, measured on this project's model: a run of
    /// one simulated second with 100,000 of each held 1.8 KB a host, 1.5 KB a pod and under 1 KB a
    /// VM beyond an empty datacenter (peak resident memory, .NET 10, x86-64); rounded up to 2 KB.
    /// </summary>
    public const double BytesPerEntity = 2048;

    /// <summary>A lower bound on the memory one replication of <paramref name="scenario"/> holds for its hosts, VMs and pods, in bytes.</summary>
    public static double EstimateMemory(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Datacenter is not { } dc)
        {
            return 0;
        }
        double entities = dc.HostGroups.Sum(g => (double)g.Count) + dc.Vms.Sum(g => (double)g.Count)
            + (dc.Pods ?? []).Sum(g => (double)g.Count) + dc.Services.Sum(s => (double)s.Replicas);
        return entities * BytesPerEntity;
    }

    /// <summary>
    /// Refuses <paramref name="scenario"/> when its estimates exceed the budget, with
    /// <paramref name="concurrentReplications"/> replications held in memory at once; says why,
    /// how much and how to go on.
    /// </summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="concurrentReplications">Replications held in memory at once.</param>
    /// <param name="replications">Replications this process runs in all (a shard's share of them).</param>
    public void Check(Scenario scenario, int concurrentReplications = 1, long replications = 1)
    {
        var (events, largest) = Estimate(scenario);
        if (!(events <= MaxEvents))
        {
            throw new BudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                $"one replication would need at least {events:G3} events over {scenario.Warmup + scenario.Duration:G4} s of simulated time, mostly {largest}; the budget is {MaxEvents:N0} events a replication (raise it with --max-events, or shorten the run or lower the rate)"));
        }
        if (!(events * replications <= MaxRunEvents))
        {
            throw new BudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                $"{replications:N0} replications would need at least {events * replications:G3} events in all ({events:G3} each, mostly {largest}); a run may need {MaxRunEvents:G3}, {RunEventsPerReplicationBudget} times --max-events (run fewer replications, split them over machines with --shard I/N, or raise --max-events)"));
        }
        double memory = EstimateMemory(scenario) * Math.Max(1, concurrentReplications);
        if (memory > MemoryLimit)
        {
            throw new BudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                $"{Math.Max(1, concurrentReplications)} replication(s) at once would hold at least {memory / 1e9:G3} GB for their hosts, VMs and pods ({BytesPerEntity / 1024:G} KB each), more than the memory budget of {MemoryLimit / 1e9:G3} GB (raise it with --max-memory, or run fewer replications at once with --parallelism)"));
        }
    }

    /// <summary>
    /// The invocations functions make of each other: every call is an invocation of its callee, so
    /// a chain multiplies its first function's arrivals (a call made by a called function counts
    /// again). In an order where callers come before callees; the call graph has no cycle.
    /// </summary>
    private static void AddCalls(List<(double, string)> parts, IReadOnlyList<FunctionSpec> functions, double horizon)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < functions.Count; i++)
        {
            index.TryAdd(functions[i].Name, i);
        }
        var callers = new int[functions.Count];
        foreach (var function in functions)
        {
            foreach (var call in function.Calls ?? [])
            {
                if (index.TryGetValue(call.Function, out int callee))
                {
                    callers[callee]++;
                }
            }
        }
        var invocations = functions.Select(f => Own(f, horizon)).ToArray();
        var called = new double[functions.Count];
        var ready = new Queue<int>(Enumerable.Range(0, functions.Count).Where(i => callers[i] == 0));
        while (ready.Count > 0)
        {
            int i = ready.Dequeue();
            foreach (var call in functions[i].Calls ?? [])
            {
                if (index.TryGetValue(call.Function, out int callee))
                {
                    called[callee] += invocations[i];
                    invocations[callee] += invocations[i];
                    if (--callers[callee] == 0)
                    {
                        ready.Enqueue(callee);
                    }
                }
            }
        }
        for (int i = 0; i < functions.Count; i++)
        {
            if (called[i] > 0)
            {
                parts.Add((called[i], string.Create(CultureInfo.InvariantCulture, $"calls to function '{functions[i].Name}' from other functions ({called[i]:G3} invocations)")));
            }
        }
    }

    /// <summary>The invocations a function's own arrivals (a rate or a trace) bring over <paramref name="horizon"/>.</summary>
    private static double Own(FunctionSpec function, double horizon) =>
        (function.Interarrival is { } gaps ? Arrivals(horizon, gaps.Mean, function.InvocationLimit) : 0)
        + (function.InvocationsPerMinute is { } trace ? TraceInvocations(trace, horizon) : 0);

    private static double TraceInvocations(IReadOnlyList<int> trace, double horizon)
    {
        int minutes = (int)Math.Min(trace.Count, Math.Ceiling(horizon / 60));
        double calls = 0;
        for (int i = 0; i < minutes; i++)
        {
            calls += trace[i];
        }
        return calls;
    }

    private static void AddFunction(List<(double, string)> parts, FunctionSpec function, double horizon)
    {
        if (function.Interarrival is { } gaps)
        {
            parts.Add((Arrivals(horizon, gaps.Mean, function.InvocationLimit), $"function '{function.Name}' at {Rate(gaps.Mean)}"));
        }
        if (function.InvocationsPerMinute is { } trace)
        {
            double calls = TraceInvocations(trace, horizon);
            parts.Add((calls, $"the trace of function '{function.Name}' ({calls:G3} invocations)"));
        }
        if (function.PingInterval is { } ping)
        {
            parts.Add((horizon / ping, $"keep-alive pings of function '{function.Name}' every {ping:G3} s"));
        }
    }

    private static double Arrivals(double horizon, double meanGap, long? limit)
    {
        double arrivals = meanGap > 0 ? horizon / meanGap : double.PositiveInfinity;
        return limit is { } n ? Math.Min(arrivals, n) : arrivals;
    }

    private static string Rate(double meanGap) =>
        string.Create(CultureInfo.InvariantCulture, $"{1 / meanGap:G4} per second");
}

/// <summary>A run that would exceed, or has reached, its <see cref="RunBudget"/>; nothing was written.</summary>
public sealed class BudgetExceededException(string message) : Exception(message);
