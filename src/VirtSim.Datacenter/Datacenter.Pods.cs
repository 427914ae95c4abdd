using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter;

public sealed partial class Datacenter
{
    private IEnumerable<Await> RequestPodGroup(PlainPods group)
    {
        var spec = group.Spec;
        if (spec.StartAt > 0)
        {
            yield return _sim.Delay(spec.StartAt);
        }
        for (int i = 0; i < spec.Count; i++)
        {
            if (i > 0 && spec.Interval > 0)
            {
                yield return _sim.Delay(spec.Interval);
            }
            group.Pods.Add(Containers!.RequestPod(spec.Pod, spec.EngineGroup, group));
        }
    }

    /// <summary>Pods that serve nothing the model looks into: their start-up and pulls are what matter.</summary>
    private sealed class PlainPods(PodGroupSpec spec) : IPodOwner
    {
        public PodGroupSpec Spec { get; } = spec;

        public List<Pod> Pods { get; } = [];

        public void Running(Pod pod)
        {
        }

        public void Stopped(Pod pod)
        {
        }
    }

    private void Announce(Pod pod, PodPhase phase)
    {
        double now = _sim.Now;
        pod.Phase = phase;
        if (phase == PodPhase.Running)
        {
            _podStartup.Add(pod.StartupSeconds);
        }
        foreach (var observer in _observers)
        {
            observer.PodPhaseChanged(pod, phase, now);
        }
    }
}
