using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter.Serverless;

/// <summary>What a function has seen: counts, latencies, instances over time, and its bill.</summary>
public sealed class FunctionStatistics
{
    internal FunctionStatistics(double now)
    {
        Busy = new TimeWeighted(now);
        Idle = new TimeWeighted(now);
        Waiting = new TimeWeighted(now);
        Since = now;
    }

    /// <summary>Invocations that arrived.</summary>
    public long Invocations { get; internal set; }

    /// <summary>Invocations that arrived while measuring and ran on a new instance started for them (counted once it is known: on engines, when its container runs).</summary>
    public long ColdStarts { get; internal set; }

    /// <summary>Invocations killed at the execution-time limit.</summary>
    public long Timeouts { get; internal set; }

    /// <summary>Invocations given up while waiting for a new container longer than the platform's request timeout (on engines).</summary>
    public long Abandoned { get; internal set; }

    /// <summary>Invocations rejected over a concurrency limit.</summary>
    public long Throttled { get; internal set; }

    /// <summary>Keep-alive pings sent by the user (not counted as invocations).</summary>
    public long Pings { get; internal set; }

    /// <summary>Response times of invocations that completed (not killed).</summary>
    public Tally Response { get; } = new();

    /// <summary>Response times of completed warm invocations.</summary>
    public Tally WarmResponse { get; } = new();

    /// <summary>Response times of completed cold invocations.</summary>
    public Tally ColdResponse { get; } = new();

    /// <summary>
    /// How long cold starts took before execution: container (on engines) and initialization.
    /// Kept across the end of the warm-up, as the datacenter keeps VM and pod start-up times:
    /// most start-ups happen at the beginning.
    /// </summary>
    public Tally ColdStartup { get; } = new();

    /// <summary>Quantiles of the response times.</summary>
    public QuantileSketch ResponseQuantiles { get; } = new();

    /// <summary>Quantiles of the warm response times alone: the latency without cold starts.</summary>
    public QuantileSketch WarmResponseQuantiles { get; } = new();

    /// <summary>Instances running an invocation (or starting for one), over time; on engines those waiting for an engine with room included.</summary>
    public TimeWeighted Busy { get; }

    /// <summary>On engines: instances asked for whose container waits for an engine with room, over time.</summary>
    public TimeWeighted Waiting { get; }

    /// <summary>On engines: how long new instances waited for an engine with room to take their container.</summary>
    public Tally ContainerWait { get; } = new();

    /// <summary>
    /// When measuring began (the end of the warm-up). Per-invocation measures count the
    /// invocations that arrived since, whenever they end, so that counts, ratios and response
    /// times agree; start-up times (<see cref="ColdStartup"/>, <see cref="ContainerWait"/>) are kept
    /// across the warm-up, as VM and pod start-ups are.
    /// </summary>
    public double Since { get; private set; }

    /// <summary>Instances kept warm and idle, over time.</summary>
    public TimeWeighted Idle { get; }

    /// <summary>What the invocations cost so far.</summary>
    public double Bill { get; internal set; }

    /// <summary>
    /// An invocation (not a ping) that arrived at <paramref name="arrivedAt"/> ended at
    /// <paramref name="now"/>, killed at its limit or completed, after a cold or a warm start.
    /// It counts if it arrived while measuring.
    /// </summary>
    internal void Ended(double arrivedAt, double now, bool killed, bool cold)
    {
        if (arrivedAt < Since)
        {
            return;
        }
        if (killed)
        {
            Timeouts++;
            return;
        }
        double response = now - arrivedAt;
        Response.Add(response);
        ResponseQuantiles.Add(response);
        (cold ? ColdResponse : WarmResponse).Add(response);
        if (!cold)
        {
            WarmResponseQuantiles.Add(response);
        }
    }

    internal void Reset(double now)
    {
        Invocations = ColdStarts = Timeouts = Throttled = Pings = Abandoned = 0;
        Response.Reset();
        WarmResponse.Reset();
        ColdResponse.Reset();
        ResponseQuantiles.Reset();
        WarmResponseQuantiles.Reset();
        Busy.Reset(now);
        Idle.Reset(now);
        Waiting.Reset(now);
        Bill = 0;
        Since = now;
    }
}
