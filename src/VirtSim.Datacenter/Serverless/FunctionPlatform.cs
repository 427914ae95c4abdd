using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Validation;
using VirtSim.Kernel;

namespace VirtSim.Datacenter.Serverless;

/// <summary>
/// A function platform (FaaS): each invocation runs in an instance of its function, a container
/// that handles one invocation at a time. An idle warm instance serves it at once (a warm
/// start); otherwise a new instance starts (a cold start: runtime and function initialization)
/// and is kept warm afterwards for as long as the keep-alive policy says. Idle instances cost
/// no events: expiries are settled in time order whenever the function is next touched.
/// </summary>
/// <remarks>
/// This file is the coordinator (account concurrency, the queue, measuring). Each concern has a
/// file of its own: <c>FunctionPlatform.Function.cs</c> (one function: arrivals, running an
/// invocation, its calls, its end; <c>.Execution.cs</c> its execution on engines), composed of <c>.WarmPool.cs</c> (idle instances
/// and the keep-alive policy), <c>.ColdStarts.cs</c> (how a new instance starts, on the provider
/// or in a container on engines) and <c>.Routing.cs</c> (joining a running instance, hand-over to
/// the first ready); <c>.Instance.cs</c>, <c>.Completion.cs</c> (one invocation's end, its
/// execution-time limit), <c>.Arrivals.cs</c> (traces and pings), <c>FunctionStatistics.cs</c>
/// (what is measured), <c>ColdStart.cs</c>; billing is the spec's <c>FunctionPricing</c>.
/// </remarks>
public sealed partial class FunctionPlatform
{
    private readonly Simulation _sim;
    private readonly FunctionPlatformSpec _spec;
    private readonly List<Function> _functions = [];
    private readonly Queue<(Function Function, double ArrivedAt, Completion? Caller)> _queued = new();
    private readonly ContainerCluster? _cluster;
    private readonly Network.DatacenterNetwork? _network;
    private readonly Network.NetworkNode? _gateway;
    private double _measuredSince;

    /// <summary>
    /// Builds the platform of <paramref name="spec"/> in <paramref name="simulation"/>; with engines,
    /// on <paramref name="cluster"/>, sending responses through <paramref name="network"/> to
    /// <paramref name="gateway"/> (where clients are).
    /// </summary>
    public FunctionPlatform(Simulation simulation, FunctionPlatformSpec spec, ContainerCluster? cluster = null,
        Network.DatacenterNetwork? network = null, Network.NetworkNode? gateway = null)
    {
        _sim = simulation ?? throw new ArgumentNullException(nameof(simulation));
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        SpecException.ThrowIfAny(spec.Validate());
        _network = network;
        _gateway = gateway;
        if (spec.EngineGroup is not null && cluster is null)
        {
            throw new ArgumentException("The platform runs on container engines, but the datacenter has none.", nameof(cluster));
        }
        _cluster = spec.EngineGroup is null ? null : cluster;
        foreach (var function in spec.Functions)
        {
            _functions.Add(new Function(this, function));
        }
        foreach (var function in _functions)
        {
            function.Resolve(_functions);
        }
    }

    /// <summary>Invocations running across the account (what the account's concurrency limit counts).</summary>
    public int BusyInstances { get; private set; }

    /// <summary>
    /// Hears every cold start of an instance (pings' included) once the instance's start-up is
    /// known: at once on the platform alone, when its container runs on engines. Null: nobody listens.
    /// </summary>
    public Action<ColdStart>? ColdStarted { get; set; }

    /// <summary>Busy and idle instances of every function now, for a time series.</summary>
    public IEnumerable<(string Function, int Busy, int Idle)> Snapshot()
    {
        foreach (var function in _functions)
        {
            function.Settle(_sim.Now);
            // An instance whose container still waits for an engine does not exist yet.
            yield return (function.Spec.Name, function.BusyInstanceCount - function.WaitingCount, function.IdleInstanceCount);
        }
    }

    /// <summary>Invokes <paramref name="function"/> now, as a client would, besides its own arrivals.</summary>
    public void Invoke(string function)
    {
        var target = _functions.Find(f => f.Spec.Name == function)
            ?? throw new ArgumentException($"No function is named '{function}'.", nameof(function));
        target.Invoke(_sim.Now, caller: null);
    }

    /// <summary>The statistics of <paramref name="function"/>.</summary>
    public FunctionStatistics StatisticsOf(string function) => _functions.Single(f => f.Spec.Name == function).Stats;

    /// <summary>Starts the arrivals and the provisioned instances.</summary>
    public void Start()
    {
        foreach (var function in _functions)
        {
            function.Begin();
        }
    }

    /// <summary>Forgets what was measured so far: the end of the warm-up.</summary>
    public void ResetStatistics()
    {
        _measuredSince = _sim.Now;
        foreach (var function in _functions)
        {
            function.Settle(_sim.Now);
            function.Stats.Reset(_sim.Now);
        }
    }

    /// <summary>What the platform measured since the last reset.</summary>
    public IEnumerable<Measurement> Measure()
    {
        double now = _sim.Now;
        double span = now - _measuredSince;
        double bill = 0, idleGbSeconds = 0;
        foreach (var function in _functions)
        {
            function.Settle(now);
            var s = function.Stats;
            double gb = function.Spec.MemoryBytes / FunctionPricing.BytesPerGb;
            double idle = s.Idle.Mean(now) * span * gb;
            double provisioned = function.Spec.Provisioned * gb * span * _spec.Pricing.ProvisionedPerGbSecond;
            string n = function.Spec.Name;
            yield return new(MetricCatalogue.FunctionInvocations.Of(n), s.Invocations);
            yield return new(MetricCatalogue.FunctionCompleted.Of(n), s.Response.Count);
            yield return new(MetricCatalogue.FunctionColdStartRatio.Of(n), s.Invocations == 0 ? double.NaN : (double)s.ColdStarts / s.Invocations);
            yield return new(MetricCatalogue.FunctionResponseMean.Of(n), s.Response.Mean);
            yield return new(MetricCatalogue.FunctionResponseP50.Of(n), s.ResponseQuantiles.Quantile(0.50));
            yield return new(MetricCatalogue.FunctionResponseP95.Of(n), s.ResponseQuantiles.Quantile(0.95));
            yield return new(MetricCatalogue.FunctionResponseP99.Of(n), s.ResponseQuantiles.Quantile(0.99));
            yield return new(MetricCatalogue.FunctionWarmMean.Of(n), s.WarmResponse.Mean);
            yield return new(MetricCatalogue.FunctionWarmP99.Of(n), s.WarmResponseQuantiles.Quantile(0.99));
            yield return new(MetricCatalogue.FunctionColdMean.Of(n), s.ColdResponse.Mean);
            yield return new(MetricCatalogue.FunctionColdStartMean.Of(n), s.ColdStartup.Mean);
            yield return new(MetricCatalogue.FunctionTimeouts.Of(n), s.Timeouts);
            yield return new(MetricCatalogue.FunctionThrottled.Of(n), s.Throttled);
            if (function.Spec.InvocationLimit is not null)
            {
                yield return new(MetricCatalogue.FunctionMakespan.Of(n), function.Makespan);
            }
            if (function.Spec.PingInterval is not null)
            {
                yield return new(MetricCatalogue.FunctionPings.Of(n), s.Pings);
            }
            if (_cluster is not null)
            {
                // On engines an instance's cores decide how fast it executes: stated, not hidden.
                yield return new(MetricCatalogue.FunctionInstanceVcpus.Of(n), function.Spec.InstanceVcpus);
                yield return new(MetricCatalogue.FunctionInstancesWaiting.Of(n), s.Waiting.Mean(now));
                yield return new(MetricCatalogue.FunctionContainerWait.Of(n), s.ContainerWait.Mean);
                yield return new(MetricCatalogue.FunctionAbandoned.Of(n), s.Abandoned);
            }
            // Instances are containers that exist or are starting: not invocations waiting for an engine with room.
            double busy = s.Busy.Mean(now) - s.Waiting.Mean(now);
            yield return new(MetricCatalogue.FunctionInstances.Of(n), busy + s.Idle.Mean(now));
            yield return new(MetricCatalogue.FunctionInstancesBusy.Of(n), busy);
            yield return new(MetricCatalogue.FunctionInstancesIdle.Of(n), s.Idle.Mean(now));
            yield return new(MetricCatalogue.FunctionIdleGbSeconds.Of(n), idle);
            yield return new(MetricCatalogue.FunctionBill.Of(n), s.Bill + provisioned);
            bill += s.Bill + provisioned;
            idleGbSeconds += idle;
        }
        yield return new(MetricCatalogue.FaasBill.Key, bill);
        yield return new(MetricCatalogue.FaasIdleGbSeconds.Key, idleGbSeconds);
    }

    private bool CanStart(Function function) =>
        (function.Spec.Concurrency is not { } limit || function.BusyCount < limit)
        && (_spec.AccountConcurrency is not { } account || BusyInstances < account);

    private void StartQueued(double now)
    {
        // Queued invocations, first come first served, as far as the limits now allow.
        while (_queued.Count > 0 && CanStart(_queued.Peek().Function))
        {
            var (function, arrivedAt, caller) = _queued.Dequeue();
            function.Settle(now);
            function.Run(now, arrivedAt, ping: false, caller);
        }
    }
}
