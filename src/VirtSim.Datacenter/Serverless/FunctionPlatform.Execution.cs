using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    // How an invocation executes on engines: CPU work in its instance's container, then its reads
    // and response; its execution-time limit; and the gateway giving up one that waits too long
    // for its container.
    private sealed partial class Function
    {
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

        /// <summary>
        /// An invocation's timer went off: still waiting for its new container, the gateway gives it
        /// up; executing past its limit, it is killed.
        /// </summary>
        public void TimedOut(Completion c, long seq)
        {
            if (seq != c.TimeoutSeq)
            {
                return;
            }
            if (c.Instance!.Waiting == c)
            {
                Abandon(c);
                return;
            }
            if (c.Cpu is not { IsRunning: true } cpu)
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

        /// <summary>
        /// The gateway gives up an invocation that waited for its new container longer than the
        /// platform's request timeout: it ends unserved (a synchronous caller goes on); the container
        /// still starts, for nobody, and joins the warm pool when it runs.
        /// </summary>
        private void Abandon(Completion c)
        {
            double now = _sim.Now;
            Settle(now);
            var instance = c.Instance!;
            instance.Waiting = null;
            if (--instance.Active == 0)
            {
                BusyInstanceCount--;
                Stats.Busy.Set(now, BusyInstanceCount);
                _coldStarts.StopCountingWaiting(instance);
            }
            BusyCount--;
            _platform.BusyInstances--;
            c.TimeoutSeq = -1;
            if (c.ArrivedAt >= Stats.Since)
            {
                Stats.Abandoned++;
            }
            _lastInvocationEnd = now;
            var caller = c.Caller;
            _spareCompletions.Push(c);
            caller?.Function.ContinueCalls(caller);
            _platform.StartQueued(now);
        }
    }
}
