using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Kernel;
using VirtSim.Kernel.Processes;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>One function's instances, arrivals and completions.</summary>
    private sealed class Function : Wakeable
    {
        private readonly FunctionPlatform _platform;
        private readonly Simulation _sim;
        private readonly Sampler? _interarrival;
        private readonly TraceArrivals? _trace;
        private readonly Sampler _duration;
        private readonly Sampler? _coldDuration;
        // Loaded idle on-demand instances, the most recently loaded on top (entries of instances
        // reused or expired since are skipped by their generation); their pending pre-warms and
        // expiries, settled lazily in time order. Provisioned instances never expire.
        private readonly Stack<(Instance Instance, int Generation)> _loaded = new();
        private readonly Stack<(Instance Instance, int Generation)> _awaitingPrewarm = new();
        private readonly PriorityQueue<(Instance Instance, int Generation, bool Load), double> _transitions = new();
        private int _loadedIdle;
        // With a fixed window expiries come in the order instances became idle: those instances
        // wait in this deque instead (newest reused from the end, oldest expired from the head).
        private readonly List<(Instance Instance, double ExpiresAt)> _fixedIdle = [];
        private int _fixedHead;
        private double _lastEnd = double.NaN;
        private long _arrived;
        private double _lastInvocationEnd = double.NaN;
        // With routing to the first ready instance: instances whose container is starting for a
        // waiting invocation, in order of request (entries whose invocation left are skipped).
        private readonly Queue<Instance> _starting = new();
        private readonly KeepAliveState _keepAlive;
        private readonly Stack<Instance> _provisionedIdle = new();
        private readonly Stack<Instance> _spareInstances = new();
        private readonly Stack<Completion> _spareCompletions = new();
        private long _arrivalSeq = -1;
        private Function[] _calls = [];
        private PingSource? _pings;
        private readonly PodSpec? _pod;
        private readonly SettleWake _settleWake;
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
            _keepAlive = spec.KeepAlive.Start();
            _settleWake = new SettleWake(this);
            if (platform._cluster is not null)
            {
                // An instance is a container of the function's image, with cores in proportion to its memory.
                _pod = spec.InstancePod();
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

        public int IdleInstanceCount => IdleCount;

        /// <summary>Instances asked for on engines whose container waits for an engine with room.</summary>
        public int WaitingCount { get; private set; }

        /// <summary>A new instance's container waits for an engine: counted apart until one takes it.</summary>
        private void AwaitPlacement(Instance instance)
        {
            instance.AwaitingPlacement = true;
            instance.CountedWaiting = true;
            WaitingCount++;
            Stats.Waiting.Set(_sim.Now, WaitingCount);
        }

        /// <summary>An instance's container no longer counts as waiting: taken by an engine, or no longer busy for anyone.</summary>
        private void StopCountingWaiting(Instance instance)
        {
            if (instance.CountedWaiting)
            {
                instance.CountedWaiting = false;
                WaitingCount--;
                Stats.Waiting.Set(_sim.Now, WaitingCount);
            }
        }

        /// <summary>An engine took an instance's container.</summary>
        public void Placed(Instance instance)
        {
            StopCountingWaiting(instance);
            if (instance.AwaitingPlacement)
            {
                instance.AwaitingPlacement = false;
                Stats.ContainerWait.Add(_sim.Now - instance.RequestedAt);
            }
        }

        // Running instances with a free slot (only when an instance serves several at once).
        private readonly List<Instance> _partial = [];

        public void Resolve(List<Function> all)
        {
            _calls = (Spec.Calls ?? []).Select(call => all.Single(f => f.Spec.Name == call.Function)).ToArray();
        }

        private int IdleCount => _loadedIdle + _provisionedIdle.Count;

        public void Begin()
        {
            for (int i = 0; i < Spec.Provisioned; i++)
            {
                var provisioned = new Instance(this) { Provisioned = true };
                if (_pod is null)
                {
                    _provisionedIdle.Push(provisioned);
                }
                else
                {
                    // On engines a provisioned instance is ready once its container runs.
                    provisioned.Pod = _platform._cluster!.RequestPod(_pod, _platform._spec.EngineGroup!, provisioned);
                }
            }
            Stats.Idle.Set(_sim.Now, IdleCount);
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
        public void Settle(double now)
        {
            while (_fixedHead < _fixedIdle.Count && _fixedIdle[_fixedHead].ExpiresAt <= now)
            {
                var (expired, at) = _fixedIdle[_fixedHead];
                _fixedIdle[_fixedHead++] = default;
                _loadedIdle--;
                Retire(expired);
                Stats.Idle.Set(at, IdleCount);
            }
            if (_fixedHead == _fixedIdle.Count)
            {
                _fixedIdle.Clear();
                _fixedHead = 0;
            }
            while (_transitions.TryPeek(out var t, out double at) && at <= now)
            {
                _transitions.Dequeue();
                var instance = t.Instance;
                if (instance.Generation != t.Generation)
                {
                    continue;
                }
                if (t.Load)
                {
                    instance.Loaded = true;
                    _loadedIdle++;
                    _loaded.Push((instance, t.Generation));
                }
                else
                {
                    if (instance.Loaded)
                    {
                        _loadedIdle--;
                    }
                    Retire(instance);
                }
                Stats.Idle.Set(at, IdleCount);
            }
            if (_loaded.Count > 4 * _loadedIdle + 64)
            {
                Compact(_loaded);
            }
        }

        private void Retire(Instance instance)
        {
            instance.Generation++;
            instance.Loaded = false;
            StopCountingWaiting(instance);
            instance.AwaitingPlacement = false;
            if (instance.Pod is { } pod)
            {
                instance.Pod = null;
                _platform._cluster!.StopPod(pod);
            }
            _spareInstances.Push(instance);
        }

        /// <summary>A provisioned instance's container runs: it joins the warm pool.</summary>
        public void ProvisionedReady(Instance instance)
        {
            Settle(_sim.Now);
            _provisionedIdle.Push(instance);
            Stats.Idle.Set(_sim.Now, IdleCount);
        }

        private static void Compact(Stack<(Instance Instance, int Generation)> stack)
        {
            var live = stack.Where(e => e.Instance.Generation == e.Generation).Reverse().ToArray();
            stack.Clear();
            foreach (var entry in live)
            {
                stack.Push(entry);
            }
        }

        private Instance? TakeLoaded()
        {
            if (_fixedIdle.Count > _fixedHead)
            {
                var newest = _fixedIdle[^1].Instance;
                _fixedIdle.RemoveAt(_fixedIdle.Count - 1);
                newest.Loaded = false;
                _loadedIdle--;
                return newest;
            }
            while (_loaded.TryPop(out var entry))
            {
                if (entry.Instance.Generation == entry.Generation && entry.Instance.Loaded)
                {
                    entry.Instance.Generation++;
                    entry.Instance.Loaded = false;
                    _loadedIdle--;
                    return entry.Instance;
                }
            }
            return null;
        }

        private Instance NewInstance()
        {
            // An instance waiting to be pre-warmed is started now instead: its pre-warm is moot.
            while (_awaitingPrewarm.TryPop(out var entry))
            {
                if (entry.Instance.Generation == entry.Generation && !entry.Instance.Loaded)
                {
                    entry.Instance.Generation++;
                    return entry.Instance;
                }
            }
            return _spareInstances.Count > 0 ? _spareInstances.Pop() : new Instance(this);
        }

        public void Run(double now, double arrivedAt, bool ping, Completion? caller)
        {
            if (!ping)
            {
                // What the keep-alive policy learns: how long after the last execution this call came.
                _keepAlive.Observe(double.IsNaN(_lastEnd) || BusyCount > 0 ? 0 : Math.Max(0, now - _lastEnd));
            }
            // First a running instance with a free slot, then an idle warm one, else a cold start.
            Instance? instance = !ping && _partial.Count > 0 ? _partial[^1] : null;
            bool joined = instance is not null;
            instance ??= _provisionedIdle.Count > 0 ? _provisionedIdle.Pop() : TakeLoaded();
            bool cold = instance is null;
            if (instance is null)
            {
                instance = NewInstance();
                instance.ReadyAt = double.PositiveInfinity;
                if (!ping)
                {
                    // The cold-start ratio is of real invocations: a ping that starts cold is the point of pinging.
                    Stats.ColdStarts++;
                }
            }
            else if (!joined)
            {
                instance.ReadyAt = now;
                Stats.Idle.Set(now, IdleCount);
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
            else if (cold && _pod is null)
            {
                instance.ReadyAt = now + startup;
                if (!ping && _coldDuration is null)
                {
                    // (The analytical setting knows only a cold invocation's whole duration.)
                    Stats.ColdStartup.Add(startup);
                }
                _platform.ColdStarted?.Invoke(new ColdStart(Spec.Name, now, now, now + startup));
            }
            UpdatePartial(instance);
            var completion = _spareCompletions.Count > 0 ? _spareCompletions.Pop() : new Completion(this);
            completion.Set(instance, arrivedAt, now + startup, killed, cold, ping, caller);
            completion.Startup = startup;
            // On engines an invocation's execution is CPU work in its instance's container, shared
            // with the invocations it runs beside; elsewhere it takes the time drawn.
            bool onCpu = _pod is not null && !ping && _coldDuration is null;
            completion.CpuWork = onCpu ? execution : 0;
            double delay = onCpu ? startup : startup + execution;
            if (cold && _pod is not null)
            {
                // On engines a cold start first places a container, pulls what the node lacks and
                // starts it; initialization and execution follow once it runs.
                instance.Waiting = completion;
                instance.WaitingDelay = delay;
                instance.RequestedAt = now;
                if (_platform._spec.RouteToFirstReady && !ping)
                {
                    _starting.Enqueue(instance);
                }
                AwaitPlacement(instance);
                instance.Pod = _platform._cluster!.RequestPod(_pod, _platform._spec.EngineGroup!, instance);
                return;
            }
            _sim.Schedule(delay, completion);
        }

        /// <summary>An invocation on an engine starts executing: its CPU work in its instance's container.</summary>
        public void StartCpu(Completion c)
        {
            var pod = c.Instance!.Pod!;
            c.Cpu = c.Cpu is null ? ReplicaWork.Cpu(pod, pod.CpuLimit!.Owner) : ReplicaWork.Reuse(c.Cpu, pod);
            c.Cpu.Completed ??= c.CpuDone;
            c.CpuStarted = c.CpuWork;
            c.CpuWork = 0;
            c.Cpu.Start(c.CpuStarted);
            // Slowed by the invocations beside it, it may outlast its execution-time limit.
            c.TimeoutSeq = _sim.Schedule(Spec.Timeout, c.Timer);
        }

        /// <summary>An invocation's CPU work is done: the host counts it as busy time; its reads and response follow.</summary>
        public void CpuDone(Completion c)
        {
            var pod = c.Instance!.Pod!;
            pod.Host.CountBusy(c.CpuStarted, pod.CpuWeight);
            c.TimeoutSeq = -1;
            if (Spec.DiskBytes > 0 || Spec.ResponseBytes > 0)
            {
                _sim.Start(NodeIo(c, pod));
                return;
            }
            OwnWorkDone(c);
        }

        /// <summary>
        /// An invocation on an engine reads its node's disk and sends its response to the gateway
        /// through the datacenter's network, as a service's request does from its replica.
        /// </summary>
        private IEnumerable<Await> NodeIo(Completion c, Pod pod)
        {
            if (Spec.DiskBytes > 0)
            {
                yield return pod.ReadDisk(Spec.DiskBytes);
            }
            foreach (var step in _platform._network!.Transfer(pod.Host.Node, _platform._gateway!, Spec.ResponseBytes,
                         weightAtSource: pod.IoWeight, alsoUses: pod.NetworkLimit))
            {
                yield return step;
            }
            OwnWorkDone(c);
        }

        /// <summary>An invocation's execution-time limit has passed: if its CPU work still runs, it is killed.</summary>
        public void TimedOut(Completion c, long seq)
        {
            if (seq != c.TimeoutSeq || c.Cpu is not { IsRunning: true } cpu)
            {
                return;
            }
            c.TimeoutSeq = -1;
            double done = cpu.WorkDone;
            cpu.Cancel();
            var pod = c.Instance!.Pod!;
            pod.Host.CountBusy(done, pod.CpuWeight);
            c.Killed = true;
            OwnWorkDone(c);
        }

        /// <summary>A cold start's container runs: initialization and execution can proceed.</summary>
        public void ContainerReady(Instance instance)
        {
            var completion = instance.Waiting!;
            instance.Waiting = null;
            completion.ExecutionStart = _sim.Now + completion.Startup;
            instance.ReadyAt = completion.ExecutionStart;
            if (!completion.Ping)
            {
                Stats.ColdStartup.Add(instance.ReadyAt - instance.RequestedAt);
            }
            _platform.ColdStarted?.Invoke(new ColdStart(Spec.Name, instance.RequestedAt, _sim.Now, instance.ReadyAt));
            UpdatePartial(instance);
            _sim.Schedule(instance.WaitingDelay, completion);
        }

        /// <summary>Keeps the list of joinable instances right: started, and with a free slot.</summary>
        private void UpdatePartial(Instance instance)
        {
            bool joinable = Spec.InstanceConcurrency > 1 && instance.Active > 0 && instance.Active < Spec.InstanceConcurrency
                && !double.IsPositiveInfinity(instance.ReadyAt);
            if (joinable && !instance.InPartial)
            {
                _partial.Add(instance);
                instance.InPartial = true;
            }
            else if (!joinable && instance.InPartial)
            {
                _partial.Remove(instance);
                instance.InPartial = false;
            }
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
            // Per-invocation measures count the invocations that arrived since measuring began.
            bool measured = c.ArrivedAt >= Stats.Since;
            if (c.Killed)
            {
                if (measured)
                {
                    Stats.Timeouts++;
                }
            }
            else if (!c.Ping && measured)
            {
                double response = now - c.ArrivedAt;
                Stats.Response.Add(response);
                Stats.ResponseQuantiles.Add(response);
                (c.Cold ? Stats.ColdResponse : Stats.WarmResponse).Add(response);
                if (!c.Cold)
                {
                    Stats.WarmResponseQuantiles.Add(response);
                }
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
                UpdatePartial(instance);
                if (caller is not null)
                {
                    caller.Function.ContinueCalls(caller);
                }
                _platform.StartQueued(now);
                return;
            }
            UpdatePartial(instance);
            BusyInstanceCount--;
            Stats.Busy.Set(now, BusyInstanceCount);
            _lastEnd = now;
            BecomeIdle(instance, now);
            Stats.Idle.Set(now, IdleCount);
            if (caller is not null)
            {
                caller.Function.ContinueCalls(caller);
            }
            _platform.StartQueued(now);
        }

        /// <summary>An instance with nothing to run is kept warm, unloaded until its pre-warm, or retired, as the keep-alive policy says.</summary>
        private void BecomeIdle(Instance instance, double now)
        {
            if (instance.Provisioned)
            {
                _provisionedIdle.Push(instance);
            }
            else if (_keepAlive.FixedWindow is { PrewarmAfter: <= 0 } fixedWindow)
            {
                if (fixedWindow.KeepUntil > 0)
                {
                    instance.Loaded = true;
                    _loadedIdle++;
                    _fixedIdle.Add((instance, now + fixedWindow.KeepUntil));
                    if (_pod is not null && double.IsFinite(fixedWindow.KeepUntil))
                    {
                        // Its container holds engine resources: release them when it expires, not lazily.
                        _sim.Schedule(fixedWindow.KeepUntil, _settleWake);
                    }
                }
                else
                {
                    Retire(instance);
                }
            }
            else
            {
                var window = _keepAlive.Window();
                if (window.KeepUntil <= window.PrewarmAfter)
                {
                    Retire(instance);
                }
                else if (window.PrewarmAfter <= 0)
                {
                    instance.Loaded = true;
                    _loadedIdle++;
                    _loaded.Push((instance, instance.Generation));
                    _transitions.Enqueue((instance, instance.Generation, false), now + window.KeepUntil);
                }
                else
                {
                    // Unloaded now, loaded again just before the next call is expected.
                    instance.Loaded = false;
                    _awaitingPrewarm.Push((instance, instance.Generation));
                    _transitions.Enqueue((instance, instance.Generation, true), now + window.PrewarmAfter);
                    _transitions.Enqueue((instance, instance.Generation, false), now + window.KeepUntil);
                }
            }
        }

        /// <summary>
        /// The first invocation still waiting for a new container, taken from the instance that
        /// was starting for it (which now starts for nobody); null if none waits.
        /// </summary>
        private Completion? TakeWaiting(double now)
        {
            while (_starting.TryDequeue(out var starting))
            {
                if (starting.Waiting is not { } waiting)
                {
                    continue;
                }
                starting.Waiting = null;
                if (--starting.Active == 0)
                {
                    BusyInstanceCount--;
                    Stats.Busy.Set(now, BusyInstanceCount);
                    // Its container may still wait for an engine, now for nobody: no longer a busy instance waiting.
                    StopCountingWaiting(starting);
                }
                // What was left to wait after the container: initialization (not needed on a
                // running instance) and, off the CPU model, the execution itself.
                waiting.WaitingDelay = waiting.CpuWork > 0 ? 0 : starting.WaitingDelay - waiting.Startup;
                return waiting;
            }
            return null;
        }

        /// <summary>Runs a handed-over invocation on <paramref name="instance"/>, whose slot it has taken: a warm start.</summary>
        private void RunHandedOver(Completion waiting, Instance instance, double now)
        {
            if (waiting.Cold)
            {
                // Counted cold when it arrived (if it arrived since measuring began); it starts warm after all.
                if (waiting.ArrivedAt >= Stats.Since)
                {
                    Stats.ColdStarts--;
                }
                waiting.Cold = false;
            }
            waiting.Instance = instance;
            waiting.Startup = 0;
            waiting.ExecutionStart = now;
            UpdatePartial(instance);
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
            BecomeIdle(instance, now);
            Stats.Idle.Set(now, IdleCount);
            _platform.StartQueued(now);
        }
    }

    /// <summary>Settles a function's expiries when one is due (used when idle instances hold containers).</summary>
    private sealed class SettleWake(Function function) : Wakeable
    {
        protected override void Wake(long seq) => function.Settle(function.Simulation.Now);
    }
}
