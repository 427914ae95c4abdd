using VirtSim.Datacenter.Containers;
using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// The queue of pods waiting for room places the same pods, in the same order, as trying every
/// waiting pod in turn does: passing over the pods of a spec that did not fit changes nothing.
/// </summary>
public class PendingPodsTests
{
    private sealed class Owner : IPodOwner
    {
        public void Running(Pod pod)
        {
        }

        public void Stopped(Pod pod)
        {
        }
    }

    private static PodSpec Spec(string name, double cpu) =>
        new(name, [new ContainerSpec(name, ContainerImage.Build(name, null, [new BuildStep("FROM scratch", 1e6)]), cpu, 1e9, [])]);

    [Test]
    public void PlacesWhatTryingEveryPodInTurnPlacesInTheSameOrder()
    {
        var random = new RandomStream(42);
        PodSpec[] specs = [Spec("small", 1), Spec("medium", 2), Spec("large", 4)];
        var owner = new Owner();
        for (int trial = 0; trial < 300; trial++)
        {
            var queue = new PendingPods();
            var naive = new List<Pod>();
            int id = 0;
            for (int round = 0; round < 20; round++)
            {
                for (int n = random.Next(30); n > 0; n--)
                {
                    var pod = new Pod(specs[random.Next(specs.Length)], id++, owner);
                    queue.Add(pod);
                    naive.Add(pod);
                }
                if (random.Next(5) == 0 && naive.Count > 0)
                {
                    var gone = naive[random.Next(naive.Count)];
                    naive.Remove(gone);
                    Assert.That(queue.Remove(gone), Is.True);
                }
                double free = random.Next(12);
                double freeNaive = free;
                var placed = new List<Pod>();
                queue.PlaceInOrder(static (pod, state) =>
                {
                    double cpu = pod.Spec.CpuRequest;
                    if (cpu > state.Free[0])
                    {
                        return false;
                    }
                    state.Free[0] -= cpu;
                    state.Placed.Add(pod);
                    return true;
                }, (Free: new[] { free }, Placed: placed));
                var expected = new List<Pod>();
                foreach (var pod in naive.ToList())
                {
                    if (pod.Spec.CpuRequest <= freeNaive)
                    {
                        freeNaive -= pod.Spec.CpuRequest;
                        expected.Add(pod);
                        naive.Remove(pod);
                    }
                }
                Assert.That(placed, Is.EqualTo(expected), $"trial {trial}, round {round}: placed");
                Assert.That(queue.Pods, Is.EqualTo(naive), $"trial {trial}, round {round}: still waiting");
            }
        }
    }
}
