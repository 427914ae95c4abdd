namespace VirtSim.Datacenter.Containers;

/// <summary>
/// The pods of one engine group waiting for room, in the order they asked, as the Kubernetes
/// scheduler's queue keeps them. Placing them again after an engine frees room tries each in
/// order, as before; but a pod whose spec did not fit tells that every later pod of the same spec
/// will not fit either (placement depends on the spec and the engines alone, and a failed attempt
/// changes neither), so those are passed over without a try, and the pass ends once only such
/// pods are left. Otherwise a queue of n identical pods cost n tries at every pod's end.
/// </summary>
internal sealed class PendingPods
{
    private readonly List<Pod> _pods = [];
    private readonly Dictionary<PodSpec, int> _bySpec = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<PodSpec> _failed = new(ReferenceEqualityComparer.Instance);

    public int Count => _pods.Count;

    public IEnumerable<Pod> Pods => _pods;

    public void Add(Pod pod)
    {
        _pods.Add(pod);
        _bySpec[pod.Spec] = _bySpec.GetValueOrDefault(pod.Spec) + 1;
    }

    public bool Remove(Pod pod)
    {
        if (!_pods.Remove(pod))
        {
            return false;
        }
        Forget(pod.Spec);
        return true;
    }

    /// <summary>Offers each waiting pod, in order, to <paramref name="tryPlace"/> (with <paramref name="state"/>); those it places leave the queue.</summary>
    public void PlaceInOrder<TState>(Func<Pod, TState, bool> tryPlace, TState state)
    {
        _failed.Clear();
        int untried = _pods.Count;   // pods from here on whose spec has not failed yet
        int write = 0;
        int read = 0;
        for (; read < _pods.Count && untried > 0; read++)
        {
            var pod = _pods[read];
            if (_failed.Contains(pod.Spec))
            {
                _pods[write++] = pod;
                continue;
            }
            if (tryPlace(pod, state))
            {
                Forget(pod.Spec);
                untried--;
                continue;
            }
            // Every earlier pod of this spec was placed, so all that are left of it are this one and later ones.
            _failed.Add(pod.Spec);
            untried -= _bySpec[pod.Spec];
            _pods[write++] = pod;
        }
        if (write < read)
        {
            for (; read < _pods.Count; read++)
            {
                _pods[write++] = _pods[read];
            }
            _pods.RemoveRange(write, _pods.Count - write);
        }
    }

    private void Forget(PodSpec spec)
    {
        if (--_bySpec[spec] == 0)
        {
            _bySpec.Remove(spec);
        }
    }
}
