using System.Runtime.InteropServices;
using VirtSim.Cli;

// The first Ctrl-C, SIGTERM (how Slurm and Kubernetes stop a job) or SIGHUP (a closed terminal)
// stops the run cleanly: one line, nothing written, exit 128 + the signal's number as shells
// report it. A second one ends the process at once; the next run removes what it left.
using var cancellation = new CancellationTokenSource();
int signal = 0;
bool Stop(int number)
{
    if (cancellation.IsCancellationRequested)
    {
        return false;
    }
    signal = number;
    cancellation.Cancel();
    return true;
}
Console.CancelKeyPress += (_, e) => e.Cancel = Stop(2);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Stop(15));
using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = Stop(1));
int code = VirtSimApp.Run(args, cancellation: cancellation.Token);
return code == VirtSimApp.Cancelled && signal != 0 ? 128 + signal : code;
