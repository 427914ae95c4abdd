using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    /// <summary>The end of one invocation; pooled, so a steady stream of invocations allocates nothing.</summary>
    private sealed class Completion(Function function) : Wakeable
    {
        public Function Function { get; } = function;
        public Instance? Instance;
        public double ArrivedAt;
        public double ExecutionStart;
        public bool Killed;
        public bool Cold;
        public bool Ping;
        public Completion? Caller;
        public int NextCall;
        public double Startup;
        // Handed over to another instance: what is left to wait there.
        public double WaitingDelay;
        // On engines: CPU work still to start after the start-up delay, the work started, and
        // the activity that runs it (kept with the pooled completion).
        public double CpuWork;
        public double CpuStarted;
        public Activity? Cpu;
        private Action<Activity>? _cpuDone;

        public Action<Activity> CpuDone => _cpuDone ??= _ => Function.CpuDone(this);

        // On an engine, the gateway's wait for a new container, then the execution-time limit of
        // the CPU work: a timer kept with the completion, and the sequence number of its pending
        // wake (-1: none that counts).
        public long TimeoutSeq = -1;
        private TimeoutTimer? _timer;

        public Wakeable Timer => _timer ??= new TimeoutTimer(this);

        private sealed class TimeoutTimer(Completion completion) : Wakeable
        {
            protected override void Wake(long seq) => completion.Function.TimedOut(completion, seq);
        }

        public void Set(Instance instance, double arrivedAt, double executionStart, bool killed, bool cold, bool ping, Completion? caller)
        {
            Instance = instance;
            ArrivedAt = arrivedAt;
            ExecutionStart = executionStart;
            Killed = killed;
            Cold = cold;
            Ping = ping;
            Caller = caller;
        }

        protected override void Wake(long seq)
        {
            if (CpuWork > 0)
            {
                Function.StartCpu(this);
            }
            else
            {
                Function.OwnWorkDone(this);
            }
        }
    }
}
