namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>
    /// Where a function's invocation goes besides the warm pool: to a running instance with a free
    /// slot (when an instance serves several invocations at once), and, with routing to the first
    /// ready instance, the hand-over of an invocation waiting for its new container to the first
    /// instance that frees up.
    /// </summary>
    private sealed class Routing(int instanceConcurrency, bool toFirstReady)
    {
        // Running instances with a free slot.
        private readonly List<Instance> _partial = [];
        // Instances whose container is starting for a waiting invocation, in order of request
        // (entries whose invocation left are skipped).
        private readonly Queue<Instance> _starting = new();

        /// <summary>A running instance with a free slot, the most recently freed; null if none.</summary>
        public Instance? Joinable => _partial.Count > 0 ? _partial[^1] : null;

        /// <summary>Keeps the joinable instances right after <paramref name="instance"/> changed: started, and with a free slot.</summary>
        public void Update(Instance instance)
        {
            bool joinable = instanceConcurrency > 1 && instance.Active > 0 && instance.Active < instanceConcurrency
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

        /// <summary>A new instance's container starts for an invocation (not a ping): with routing to the first ready, that invocation may be handed over.</summary>
        public void Starting(Instance instance)
        {
            if (toFirstReady)
            {
                _starting.Enqueue(instance);
            }
        }

        /// <summary>
        /// The first invocation still waiting for a new container, taken from the instance that
        /// was starting for it (which now starts for nobody); null if none waits.
        /// </summary>
        public (Completion Waiting, Instance From)? TakeWaiting()
        {
            while (_starting.TryDequeue(out var starting))
            {
                if (starting.Waiting is { } waiting)
                {
                    starting.Waiting = null;
                    return (waiting, starting);
                }
            }
            return null;
        }
    }
}
