using VirtSim.Kernel;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>One function's instances, arrivals and completions.</summary>
    private sealed partial class Function : Wakeable
    {
        private readonly FunctionPlatform _platform;
        private readonly Simulation _sim;
        private readonly Sampler? _interarrival;
        private readonly TraceArrivals? _trace;
        private readonly Sampler _duration;
        private readonly Sampler? _coldDuration;
        private readonly WarmPool _pool;
        private readonly ColdStarts _coldStarts;
        private readonly Routing _routing;
        private readonly Stack<Completion> _spareCompletions = new();
        private double _lastEnd = double.NaN;
        private long _arrived;
        private double _lastInvocationEnd = double.NaN;
        private long _arrivalSeq = -1;
        private Function[] _calls = [];
        private PingSource? _pings;
        // On the provider: seconds an invocation spends reading its storage and sending its response.
        private readonly double _providerIo;

        public Function(FunctionPlatform platform, FunctionSpec spec)
        {
            _platform = platform;
            _sim = platform._sim;
            Spec = spec;
            Stats = new FunctionStatistics(_sim.Now);
            _interarrival = spec.Interarrival?.Bind(_sim.Streams[$"{spec.Name}.arrivals"]);
            if (spec.InvocationsPerMinute is { } counts)
            {
                _trace = new TraceArrivals(counts, _sim.Streams[$"{spec.Name}.trace"]);
            }
            _duration = spec.Duration.Bind(_sim.Streams[$"{spec.Name}.duration"]);
            _coldDuration = spec.ColdDuration?.Bind(_sim.Streams[$"{spec.Name}.cold"]);
            _coldStarts = new ColdStarts(platform, spec, Stats);
            _pool = new WarmPool(this, spec.KeepAlive.Start(), Stats.Idle, holdsContainers: _coldStarts.OnEngines);
            _routing = new Routing(spec.InstanceConcurrency, platform._spec.RouteToFirstReady);
            if (_coldStarts.OnEngines)
            {
                if ((spec.DiskBytes > 0 || spec.ResponseBytes > 0) && (platform._network is null || platform._gateway is null))
                {
                    throw new ArgumentException($"Function '{spec.Name}' reads or sends bytes on engines: the platform needs the datacenter's network.", nameof(platform));
                }
            }
            else
            {
                _providerIo = spec.DiskBytes / platform._spec.InstanceStorageBandwidth + spec.ResponseBytes / platform._spec.InstanceNetworkBandwidth;
            }
        }

        public FunctionSpec Spec { get; }

        public FunctionStatistics Stats { get; }

        public Simulation Simulation => _sim;

        public int BusyCount { get; private set; }

        /// <summary>Instances serving at least one invocation.</summary>
        public int BusyInstanceCount { get; private set; }

        public int IdleInstanceCount => _pool.IdleCount;

        /// <summary>Instances asked for on engines whose container waits for an engine with room.</summary>
        public int WaitingCount => _coldStarts.WaitingCount;

        /// <summary>An engine took an instance's container.</summary>
        public void Placed(Instance instance) => _coldStarts.Placed(instance);

        public void Resolve(List<Function> all)
        {
            _calls = (Spec.Calls ?? []).Select(call => all.Single(f => f.Spec.Name == call.Function)).ToArray();
        }

        public void Begin()
        {
            for (int i = 0; i < Spec.Provisioned; i++)
            {
                var provisioned = new Instance(this) { Provisioned = true };
                if (_coldStarts.OnEngines)
                {
                    // On engines a provisioned instance is ready once its container runs.
                    _coldStarts.Provision(provisioned);
                }
                else
                {
                    _pool.AddProvisioned(provisioned, _sim.Now);
                }
            }
            Stats.Idle.Set(_sim.Now, _pool.IdleCount);
            ScheduleNextArrival();
            if (Spec.PingInterval is { } interval)
            {
                _pings = new PingSource(this, interval);
                _sim.Schedule(interval, _pings);
            }
        }

        protected override void Wake(long seq)
        {
            if (seq != _arrivalSeq)
            {
                return;
            }
            _arrived++;
            Invoke(_sim.Now, caller: null);
            ScheduleNextArrival();
        }

        /// <summary>
        /// With an <see cref="FunctionSpec.InvocationLimit"/>: when the last invocation ended
        /// (completed, killed or rejected), in seconds from the start of the run, once all have
        /// arrived and none runs or waits; otherwise NaN.
        /// </summary>
        public double Makespan => Spec.InvocationLimit is { } limit && _arrived == limit && BusyCount == 0
            && !_platform._queued.Any(q => q.Function == this) ? _lastInvocationEnd : double.NaN;

        private void ScheduleNextArrival()
        {
            if (Spec.InvocationLimit is { } limit && _arrived >= limit)
            {
                return;
            }
            if (_interarrival is not null)
            {
                _arrivalSeq = _sim.Schedule(_interarrival.Sample(), this);
            }
            else if (_trace!.Next() is { } at)
            {
                _arrivalSeq = _sim.Schedule(Math.Max(0, at - _sim.Now), this);
            }
        }

        /// <summary>An invocation arrives (from a client, or from a calling function).</summary>
        public void Invoke(double now, Completion? caller)
        {
            Settle(now);
            Stats.Invocations++;
            if (_platform.CanStart(this))
            {
                Run(now, now, ping: false, caller);
            }
            else if (_platform._spec.Throttle == ThrottlePolicy.Reject)
            {
                Stats.Throttled++;
                _lastInvocationEnd = now;
                // A synchronous caller gets the rejection at once and goes on.
                caller?.Function.ContinueCalls(caller);
            }
            else
            {
                _platform._queued.Enqueue((this, now, caller));
            }
        }

        /// <summary>A keep-alive ping: it runs like an invocation, only to keep an instance warm.</summary>
        public void Ping(double now)
        {
            Settle(now);
            Stats.Pings++;
            if (_platform.CanStart(this))
            {
                Run(now, now, ping: true, caller: null);
            }
        }

        /// <summary>Applies, in time order, the pre-warms and expiries due by <paramref name="now"/>.</summary>
        public void Settle(double now) => _pool.Settle(now);

        /// <summary>An instance retires from the warm pool: its container, if any, is released.</summary>
        public void Release(Instance instance) => _coldStarts.Release(instance);

        /// <summary>A provisioned instance's container runs: it joins the warm pool.</summary>
        public void ProvisionedReady(Instance instance)
        {
            Settle(_sim.Now);
            _pool.AddProvisioned(instance, _sim.Now);
        }

        /// <summary>
        /// Runs an invocation (or a ping) that may start now: on a running instance with a free
        /// slot, else a warm idle one, else a new instance (a cold start).
        /// </summary>
        public void Run(double now, double arrivedAt, bool ping, Completion? caller)
        {
            if (!ping)
            {
                // What the keep-alive policy learns: how long after the last execution this call came.
                _pool.Observe(double.IsNaN(_lastEnd) || BusyCount > 0 ? 0 : Math.Max(0, now - _lastEnd));
            }
            // First a running instance with a free slot, then an idle warm one, else a cold start.
            Instance? instance = ping ? null : _routing.Joinable;
            bool joined = instance is not null;
            instance ??= _pool.TakeWarm(now);
            bool cold = instance is null;
            if (instance is null)
            {
                instance = _pool.NewInstance();
                instance.ReadyAt = double.PositiveInfinity;
            }
            else if (!joined)
            {
                instance.ReadyAt = now;
            }
            if (instance.Active++ == 0)
            {
                BusyInstanceCount++;
                Stats.Busy.Set(now, BusyInstanceCount);
            }
            BusyCount++;
            _platform.BusyInstances++;

            // A cold start initializes the runtime and the function before executing; the
            // analytical setting gives the whole cold invocation a duration of its own.
            double startup = 0, execution;
            if (ping)
            {
                startup = cold ? Spec.RuntimeInit + Spec.FunctionInit : 0;
                execution = _platform._spec.PingDuration;
            }
            else if (cold && _coldDuration is not null)
            {
                execution = _coldDuration.Sample() + _providerIo;
            }
            else
            {
                startup = cold ? Spec.RuntimeInit + Spec.FunctionInit : 0;
                // No state survives between invocations: it is read and written back every time.
                execution = _duration.Sample() + Spec.StateAccesses * _platform._spec.StateStoreLatency + _providerIo;
            }
            bool killed = execution > Spec.Timeout;
            if (killed)
            {
                execution = Spec.Timeout;
            }
            if (joined)
            {
                // A joiner of an instance still starting waits for it to be ready.
                startup = Math.Max(0, instance.ReadyAt - now);
            }
            var completion = _spareCompletions.Count > 0 ? _spareCompletions.Pop() : new Completion(this);
            completion.Set(instance, arrivedAt, now + startup, killed, cold, ping, caller);
            completion.Startup = startup;
            if (cold && !_coldStarts.OnEngines)
            {
                _coldStarts.OnProvider(instance, completion, startup, analytical: _coldDuration is not null);
            }
            _routing.Update(instance);
            // On engines an invocation's execution is CPU work in its instance's container, shared
            // with the invocations it runs beside; elsewhere it takes the time drawn.
            bool onCpu = _coldStarts.OnEngines && !ping && _coldDuration is null;
            completion.CpuWork = onCpu ? execution : 0;
            double delay = onCpu ? startup : startup + execution;
            if (cold && _coldStarts.OnEngines)
            {
                // On engines a cold start first places a container, pulls what the node lacks and
                // starts it; initialization and execution follow once it runs.
                if (!ping)
                {
                    _routing.Starting(instance);
                    // The gateway holds it for so long, then gives up.
                    completion.TimeoutSeq = _sim.Schedule(_platform._spec.RequestTimeout, completion.Timer);
                }
                _coldStarts.OnEngine(instance, completion, delay);
                return;
            }
            _sim.Schedule(delay, completion);
        }

        /// <summary>A cold start's container runs: initialization and execution can proceed.</summary>
        public void ContainerReady(Instance instance)
        {
            var completion = _coldStarts.Ready(instance);
            completion.TimeoutSeq = -1;
            _routing.Update(instance);
            _sim.Schedule(instance.WaitingDelay, completion);
        }

        /// <summary>The invocation's own work is done: now its calls, in order.</summary>
        public void OwnWorkDone(Completion c)
        {
            c.NextCall = 0;
            ContinueCalls(c);
        }

        /// <summary>
        /// Makes the invocation's next calls: asynchronous ones are fired and forgotten, a
        /// synchronous one is waited for (the instance stays busy and billed); then it finishes.
        /// </summary>
        public void ContinueCalls(Completion c)
        {
            double now = _sim.Now;
            while (!c.Killed && !c.Ping && c.NextCall < _calls.Length)
            {
                var callee = _calls[c.NextCall];
                bool synchronous = Spec.Calls![c.NextCall].Synchronous;
                c.NextCall++;
                if (synchronous)
                {
                    callee.Invoke(now, caller: c);
                    return;
                }
                callee.Invoke(now, caller: null);
            }
            Finish(c);
        }

        private void Finish(Completion c)
        {
            double now = _sim.Now;
            Settle(now);
            BusyCount--;
            _platform.BusyInstances--;
            // Billed from the start of execution to the end, waits for synchronous callees included.
            Stats.Bill += _platform._spec.Pricing.Invocation(Spec.MemoryBytes, now - c.ExecutionStart);
            if (!c.Ping)
            {
                _lastInvocationEnd = now;
            }
            if (!c.Ping)
            {
                Stats.Ended(c.ArrivedAt, now, c.Killed, c.Cold);
            }
            var instance = c.Instance!;
            var caller = c.Caller;
            _spareCompletions.Push(c);
            if (TakeWaiting(now) is { } waiting)
            {
                // The slot goes to an invocation that was waiting for a new container.
                RunHandedOver(waiting, instance, now);
                if (caller is not null)
                {
                    caller.Function.ContinueCalls(caller);
                }
                _platform.StartQueued(now);
                return;
            }
            if (--instance.Active > 0)
            {
                // Others still run on this instance: it stays busy, with one more free slot.
                _routing.Update(instance);
                if (caller is not null)
                {
                    caller.Function.ContinueCalls(caller);
                }
                _platform.StartQueued(now);
                return;
            }
            _routing.Update(instance);
            BusyInstanceCount--;
            Stats.Busy.Set(now, BusyInstanceCount);
            _lastEnd = now;
            _pool.Keep(instance, now);
            if (caller is not null)
            {
                caller.Function.ContinueCalls(caller);
            }
            _platform.StartQueued(now);
        }

        /// <summary>
        /// The first invocation still waiting for a new container, taken from the instance that
        /// was starting for it (which now starts for nobody); null if none waits.
        /// </summary>
        private Completion? TakeWaiting(double now)
        {
            if (_routing.TakeWaiting() is not var (waiting, starting))
            {
                return null;
            }
            if (--starting.Active == 0)
            {
                BusyInstanceCount--;
                Stats.Busy.Set(now, BusyInstanceCount);
                // Its container may still wait for an engine, now for nobody: no longer a busy instance waiting.
                _coldStarts.StopCountingWaiting(starting);
            }
            // What was left to wait after the container: initialization (not needed on a
            // running instance) and, off the CPU model, the execution itself.
            waiting.WaitingDelay = waiting.CpuWork > 0 ? 0 : starting.WaitingDelay - waiting.Startup;
            return waiting;
        }

        /// <summary>Runs a handed-over invocation on <paramref name="instance"/>, whose slot it has taken: a warm start.</summary>
        private void RunHandedOver(Completion waiting, Instance instance, double now)
        {
            // It was to start cold; it starts warm after all (and was not counted cold: that waits for its container).
            waiting.Cold = false;
            waiting.TimeoutSeq = -1;
            waiting.Instance = instance;
            waiting.Startup = 0;
            waiting.ExecutionStart = now;
            _routing.Update(instance);
            _sim.Schedule(waiting.WaitingDelay, waiting);
        }

        /// <summary>
        /// The container of an instance whose invocation went elsewhere runs: it serves the next
        /// invocation still waiting, if any, or joins the warm pool.
        /// </summary>
        public void StartedForNobody(Instance instance)
        {
            double now = _sim.Now;
            Settle(now);
            instance.ReadyAt = now;
            if (TakeWaiting(now) is { } waiting)
            {
                if (instance.Active++ == 0)
                {
                    BusyInstanceCount++;
                    Stats.Busy.Set(now, BusyInstanceCount);
                }
                RunHandedOver(waiting, instance, now);
                return;
            }
            _pool.Keep(instance, now);
            _platform.StartQueued(now);
        }
    }
}
