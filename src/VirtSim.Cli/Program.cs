using VirtSim.Cli;

// The first Ctrl-C stops the run cleanly (nothing written, exit 130); a second one ends the process
// at once, and the next run removes whatever staging folder it left.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
return VirtSimApp.Run(args, cancellation: cancellation.Token);
