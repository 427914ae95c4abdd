using VirtSim.Datacenter.Containers;
using VirtSim.Kernel;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>
    /// How a function's new instance starts. On the provider's platform it is ready after the
    /// runtime's and the function's initialization. On container engines it first needs a
    /// container: it waits for an engine with room (counted apart: it is not an instance yet),
    /// pulls what the node lacks and starts; initialization and execution follow. An invocation
    /// counts as a cold start once it runs on the instance started for it: an invocation handed
    /// over to an instance that freed up first started warm.
    /// </summary>
    private sealed class ColdStarts
    {
        private readonly FunctionPlatform _platform;
        private readonly Simulation _sim;
        private readonly FunctionSpec _spec;
        private readonly FunctionStatistics _stats;
        private readonly PodSpec? _pod;

        public ColdStarts(FunctionPlatform platform, FunctionSpec spec, FunctionStatistics stats)
        {
            _platform = platform;
            _sim = platform._sim;
            _spec = spec;
            _stats = stats;
            // On engines an instance is a container of the function's image, with its vCPUs.
            _pod = platform._cluster is null ? null : spec.InstancePod();
        }

        /// <summary>Whether instances are containers on the datacenter's engines.</summary>
        public bool OnEngines => _pod is not null;

        /// <summary>Instances asked for on engines whose container waits for an engine with room.</summary>
        public int WaitingCount { get; private set; }

        /// <summary>Asks for the container of a provisioned instance on engines; it joins the warm pool once it runs.</summary>
        public void Provision(Instance instance) =>
            instance.Pod = _platform._cluster!.RequestPod(_pod!, _platform._spec.EngineGroup!, instance);

        /// <summary>
        /// On the provider: <paramref name="instance"/> starts for <paramref name="completion"/> and is
        /// ready after <paramref name="startup"/> seconds of initialization.
        /// </summary>
        public void OnProvider(Instance instance, Completion completion, double startup, bool analytical)
        {
            double now = _sim.Now;
            instance.ReadyAt = now + startup;
            if (!completion.Ping && !analytical)
            {
                // (The analytical setting knows only a cold invocation's whole duration.)
                _stats.ColdStartup.Add(startup);
            }
            _platform.ColdStarted?.Invoke(new ColdStart(_spec.Name, now, now, now + startup));
            Count(completion);
        }

        /// <summary>
        /// On engines: <paramref name="instance"/> starts for <paramref name="completion"/>, which goes on
        /// <paramref name="delay"/> seconds after the container runs.
        /// </summary>
        public void OnEngine(Instance instance, Completion completion, double delay)
        {
            instance.Waiting = completion;
            instance.WaitingDelay = delay;
            instance.RequestedAt = _sim.Now;
            instance.AwaitingPlacement = true;
            instance.CountedWaiting = true;
            WaitingCount++;
            _stats.Waiting.Set(_sim.Now, WaitingCount);
            instance.Pod = _platform._cluster!.RequestPod(_pod!, _platform._spec.EngineGroup!, instance);
        }

        /// <summary>An engine took the instance's container: its wait for room is over.</summary>
        public void Placed(Instance instance)
        {
            StopCountingWaiting(instance);
            if (instance.AwaitingPlacement)
            {
                instance.AwaitingPlacement = false;
                _stats.ContainerWait.Add(_sim.Now - instance.RequestedAt);
            }
        }

        /// <summary>
        /// The container started for an invocation runs: the invocation, now known to start cold,
        /// is returned to go on after initialization.
        /// </summary>
        public Completion Ready(Instance instance)
        {
            var completion = instance.Waiting!;
            instance.Waiting = null;
            completion.ExecutionStart = _sim.Now + completion.Startup;
            instance.ReadyAt = completion.ExecutionStart;
            if (!completion.Ping)
            {
                _stats.ColdStartup.Add(instance.ReadyAt - instance.RequestedAt);
            }
            _platform.ColdStarted?.Invoke(new ColdStart(_spec.Name, instance.RequestedAt, _sim.Now, instance.ReadyAt));
            Count(completion);
            return completion;
        }

        /// <summary>The instance no longer starts for anyone, or retires: its container no longer counts as waiting for room.</summary>
        public void StopCountingWaiting(Instance instance)
        {
            if (instance.CountedWaiting)
            {
                instance.CountedWaiting = false;
                WaitingCount--;
                _stats.Waiting.Set(_sim.Now, WaitingCount);
            }
        }

        /// <summary>The instance retires: its container, if any, stops and frees its engine.</summary>
        public void Release(Instance instance)
        {
            StopCountingWaiting(instance);
            instance.AwaitingPlacement = false;
            if (instance.Pod is { } pod)
            {
                instance.Pod = null;
                _platform._cluster!.StopPod(pod);
            }
        }

        // A cold start of an invocation (not a ping) that arrived while measuring.
        private void Count(Completion completion)
        {
            if (!completion.Ping && completion.ArrivedAt >= _stats.Since)
            {
                _stats.ColdStarts++;
            }
        }
    }
}
