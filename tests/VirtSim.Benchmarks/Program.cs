using BenchmarkDotNet.Running;
using VirtSim.Benchmarks;

// `quick` runs every case once and prints one JSON object per line (optionally one case:
// `quick hold-1k`); anything else goes to BenchmarkDotNet (`--filter '*'`, `--list flat`).
if (args.Length > 0 && args[0] == "quick")
{
    QuickMode.Run(Console.Out, args.Length > 1 ? args[1] : null);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
return 0;
