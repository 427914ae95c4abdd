using VirtSim.Kernel;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>
    /// A function's idle instances and what the keep-alive policy does with them: provisioned
    /// instances (never expire), loaded on-demand instances kept warm until their window ends,
    /// and unloaded ones waiting for a pre-warm. Expiries and pre-warms are applied lazily, in
    /// time order, when the function next acts (<see cref="Settle"/>); the idle count over time is
    /// recorded at the moment each happened. Retired instances are kept for reuse, so a steady
    /// stream of invocations allocates nothing.
    /// </summary>
    private sealed class WarmPool
    {
        private readonly Function _function;
        private readonly KeepAliveState _keepAlive;
        private readonly TimeWeighted _idle;
        // Loaded idle on-demand instances, the most recently loaded on top (entries of instances
        // reused or expired since are skipped by their generation); their pending pre-warms and
        // expiries, settled lazily in time order.
        private readonly Stack<(Instance Instance, int Generation)> _loaded = new();
        private readonly Stack<(Instance Instance, int Generation)> _awaitingPrewarm = new();
        private readonly PriorityQueue<(Instance Instance, int Generation, bool Load), double> _transitions = new();
        private int _loadedIdle;
        // With a fixed window expiries come in the order instances became idle: those instances
        // wait in this deque instead (newest reused from the end, oldest expired from the head).
        private readonly List<(Instance Instance, double ExpiresAt)> _fixedIdle = [];
        private int _fixedHead;
        private readonly Stack<Instance> _provisionedIdle = new();
        private readonly Stack<Instance> _spare = new();
        // When idle instances hold containers, their expiries must free the engine on time.
        private readonly Wakeable? _settleWake;

        public WarmPool(Function function, KeepAliveState keepAlive, TimeWeighted idle, bool holdsContainers)
        {
            _function = function;
            _keepAlive = keepAlive;
            _idle = idle;
            _settleWake = holdsContainers ? new SettleWake(this, function.Simulation) : null;
        }

        /// <summary>Instances idle and warm now (provisioned and loaded).</summary>
        public int IdleCount => _loadedIdle + _provisionedIdle.Count;

        /// <summary>What the keep-alive policy learns: an invocation came <paramref name="idleTime"/> seconds after the last execution ended.</summary>
        public void Observe(double idleTime) => _keepAlive.Observe(idleTime);

        /// <summary>Applies, in time order, the pre-warms and expiries due by <paramref name="now"/>.</summary>
        public void Settle(double now)
        {
            while (_fixedHead < _fixedIdle.Count && _fixedIdle[_fixedHead].ExpiresAt <= now)
            {
                var (expired, at) = _fixedIdle[_fixedHead];
                _fixedIdle[_fixedHead++] = default;
                _loadedIdle--;
                Retire(expired);
                _idle.Set(at, IdleCount);
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
                _idle.Set(at, IdleCount);
            }
            if (_loaded.Count > 4 * _loadedIdle + 64)
            {
                Compact(_loaded);
            }
        }

        /// <summary>
        /// A warm idle instance for an invocation, provisioned first, then the most recently
        /// used; null when none is warm (the invocation starts cold).
        /// </summary>
        public Instance? TakeWarm(double now)
        {
            var instance = _provisionedIdle.Count > 0 ? _provisionedIdle.Pop() : TakeLoaded();
            if (instance is not null)
            {
                _idle.Set(now, IdleCount);
            }
            return instance;
        }

        /// <summary>An instance to start cold: one waiting for its pre-warm (now moot), a retired one, or a new one.</summary>
        public Instance NewInstance()
        {
            while (_awaitingPrewarm.TryPop(out var entry))
            {
                if (entry.Instance.Generation == entry.Generation && !entry.Instance.Loaded)
                {
                    entry.Instance.Generation++;
                    return entry.Instance;
                }
            }
            return _spare.Count > 0 ? _spare.Pop() : new Instance(_function);
        }

        /// <summary>A provisioned instance is ready (at once on the provider; on engines once its container runs).</summary>
        public void AddProvisioned(Instance instance, double now)
        {
            _provisionedIdle.Push(instance);
            _idle.Set(now, IdleCount);
        }

        /// <summary>An instance with nothing to run is kept warm, unloaded until its pre-warm, or retired, as the keep-alive policy says.</summary>
        public void Keep(Instance instance, double now)
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
                    if (_settleWake is not null && double.IsFinite(fixedWindow.KeepUntil))
                    {
                        _function.Simulation.Schedule(fixedWindow.KeepUntil, _settleWake);
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
            _idle.Set(now, IdleCount);
        }

        /// <summary>An instance leaves for good: its container (if any) is released and it is kept for reuse.</summary>
        private void Retire(Instance instance)
        {
            instance.Generation++;
            instance.Loaded = false;
            _function.Release(instance);
            _spare.Push(instance);
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

        private static void Compact(Stack<(Instance Instance, int Generation)> stack)
        {
            var live = stack.Where(e => e.Instance.Generation == e.Generation).Reverse().ToArray();
            stack.Clear();
            foreach (var entry in live)
            {
                stack.Push(entry);
            }
        }

        /// <summary>Settles the pool when an expiry is due (used when idle instances hold containers).</summary>
        private sealed class SettleWake(WarmPool pool, Simulation sim) : Wakeable
        {
            protected override void Wake(long seq) => pool.Settle(sim.Now);
        }
    }
}
