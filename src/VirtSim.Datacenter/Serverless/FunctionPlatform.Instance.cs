using VirtSim.Datacenter.Containers;

namespace VirtSim.Datacenter.Serverless;

public sealed partial class FunctionPlatform
{
    private sealed class Instance(Function function) : IPodOwner
    {
        public bool Provisioned;
        public bool Loaded;
        public int Generation;
        public Pod? Pod;
        public Completion? Waiting;
        public double WaitingDelay;
        public double RequestedAt;
        public int Active;
        public double ReadyAt;
        public bool InPartial;

        public bool AwaitingPlacement;
        public bool CountedWaiting;

        public void Placed(Pod pod) => function.Placed(this);

        public void Running(Pod pod)
        {
            if (Waiting is not null)
            {
                function.ContainerReady(this);
            }
            else if (Provisioned)
            {
                function.ProvisionedReady(this);
            }
            else
            {
                function.StartedForNobody(this);
            }
        }

        public void Stopped(Pod pod)
        {
        }
    }
}
