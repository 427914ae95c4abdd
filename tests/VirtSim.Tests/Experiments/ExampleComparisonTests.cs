using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;
using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Experiments;

/// <summary>The claims the bursty and batch example comparisons make in their comments, held to hand computation.</summary>
public class ExampleComparisonTests
{
    private static ComparisonResult Run(string file) =>
        ComparisonRunner.Run(ComparisonReader.LoadFile(Path.Combine(Repository.Examples, file)), new RunOptions(Replications: 3));

    private static double Mean(ComparisonResult result, string measure, int deployment) =>
        result.Rows.Single(r => r.Metric == measure).Values[deployment].Mean;

    [Test]
    public void InTheBurstyExampleEveryLongGapCostsTheFunctionAColdStartAndItsBillIsTiny()
    {
        var result = Run("compare-bursty.yaml");
        // An on/off source (0.5 calls/s while on; on 1 min, off 10 min on average): a gap longer
        // than the 1-minute keep-alive finds every instance gone, so at least that share of calls
        // start cold. More do: a call that comes while the burst's only instance is still busy
        // (60 ms on average) starts another, which happens to at most λS / (1 + λS) of calls.
        var source = new Distribution.OnOff(0.5, 60, 600);
        double longGaps = source.Survival(60);
        Assert.That(longGaps, Is.EqualTo(0.0295).Within(0.0005));
        double overlaps = 0.5 * 0.060 / (1 + 0.5 * 0.060);
        var cold = result.Rows.Single(r => r.Metric == "cold starts").Values[2];
        Assert.That(cold.High, Is.GreaterThan(longGaps));
        Assert.That(cold.Low, Is.LessThan(longGaps + overlaps));
        Assert.That(cold.Mean, Is.GreaterThan(0.02), "more than one call in a hundred: the p99 shows them");
        Assert.That(Mean(result, "latency p99", 2), Is.GreaterThan(2 * Mean(result, "latency p99", 0)));
        Assert.That(Mean(result, "cost per hour", 0), Is.EqualTo(0.40).Within(1e-9), "one host at 0.40/h");
        Assert.That(Mean(result, "cost per hour", 2), Is.LessThan(0.01 * 0.40));
    }

    [Test]
    public void InTheBatchJobTheFunctionFinishesFirstAndCostsMost()
    {
        var result = Run("compare-batch.yaml");
        Assert.That(result.Rows.Select(r => r.Metric).TakeLast(2), Is.EqualTo(ComparisonRunner.JobMeasureNames));
        foreach (var run in result.Runs)
        {
            foreach (var replication in run.Replications)
            {
                var m = replication.Measurements.ToDictionary(x => x.Name, x => x.Value);
                Assert.That(m.GetValueOrDefault("workload.requests", m.GetValueOrDefault("workload.invocations")), Is.EqualTo(20_000), "the job, and no more");
            }
        }
        // 20,000 tasks of 2 s on average: 40,000 core-seconds. The VMs' 32 vCPUs run at 1/1.10 of
        // the cores' speed once booted; the containers have 24 cores. (The mean of 20,000
        // log-normal tasks with sd 1 s is within 0.7% of 2 s at two standard errors.)
        double work = 20_000 * 2.0;
        double vmBoot = Mean(result, "start-up time", 0), podStart = Mean(result, "start-up time", 1);
        Assert.That(Mean(result, "makespan", 0), Is.EqualTo(vmBoot + work * 1.10 / 32).Within(2).Percent);
        Assert.That(Mean(result, "makespan", 1), Is.EqualTo(podStart + work / 24).Within(2).Percent);
        // The function runs 1,000 instances at once: each starts cold once (300 + 800 ms), then
        // takes queued tasks until none are left, about 40 s of work each; the last ends at most
        // one long task later. Like the VMs and containers, each task also reads its 6 MB and
        // sends its 1 MB: on the provider at 125 MB/s and 75 MB/s, 61.3 ms more per task.
        var platform = new FunctionPlatformSpec([], null, ThrottlePolicy.Queue, FunctionPricing.Default);
        double io = 6e6 / platform.InstanceStorageBandwidth + 1e6 / platform.InstanceNetworkBandwidth;
        Assert.That(io, Is.EqualTo(0.0613).Within(0.0001));
        double functionWork = work + 20_000 * io;
        Assert.That(Mean(result, "cold starts", 2), Is.EqualTo(1_000 / 20_000.0).Within(1e-12));
        Assert.That(Mean(result, "start-up time", 2), Is.EqualTo(1.1).Within(1e-9));
        Assert.That(Mean(result, "makespan", 2), Is.InRange(functionWork / 1_000 + 1.1, functionWork / 1_000 + 1.1 + 15));
        // Its bill: 41,227 s x 2 GB at Lambda's GB-second price, plus 20,000 requests.
        var price = FunctionPricing.Default;
        Assert.That(Mean(result, "job cost", 2), Is.EqualTo(functionWork * 2 * price.PerGbSecond + 20_000 * price.PerMillionRequests / 1e6).Within(1).Percent);
        // Two hosts at 0.80/h each, for as long as the job holds them.
        Assert.That(Mean(result, "job cost", 0), Is.EqualTo(1.60 * Mean(result, "makespan", 0) / 3600).Within(1e-3));
        Assert.That(Mean(result, "job cost", 2), Is.GreaterThan(1.5 * Mean(result, "job cost", 1)));
    }

    [Test]
    public void SelfHostedFunctionsRunOnOurNodeAndCostItsHours()
    {
        var comparison = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, "compare-self-hosted.yaml"));
        Assert.That(comparison.Deployments.Select(d => d.Kind), Is.EqualTo(new[] { "containers", ComparisonReader.ProviderFunctions, ComparisonReader.SelfHostedFunctions }));
        var result = ComparisonRunner.Run(comparison, new RunOptions(Replications: 3, Timeline: true));
        // The first cold start on the empty node: the runtime's 200 MB and the 5 MB code layer
        // download together over 10 Gb/s at 90% (1.125 GB/s): the code at 2 x 5 MB / 1.125 GB/s =
        // 0.0089 s, the runtime at 205 MB / 1.125 GB/s = 0.1822 s; unpacked bottom first at
        // 100 MB/s (the code layer waits for the runtime beneath it), both are ready at
        // 0.1822 + 2.0 + 0.05 s; containerd starts the container in 0.3 s; then 0.3 s of runtime
        // and 0.4 s of function initialization.
        // (Cold starts are recorded when their container runs; the first requested is the one.)
        var first = result.Runs[2].Replications[0].ColdStarts!.MinBy(c => c.Requested);
        Assert.That(first.ContainerRunning - first.Requested, Is.EqualTo(0.1822 + 2.0 + 0.05 + 0.3).Within(0.01));
        Assert.That(first.Ready - first.ContainerRunning, Is.EqualTo(0.7).Within(1e-9));
        // Warm, an instance has a vCPU to itself, so latency is the provider's (same arrivals,
        // same work); the node does the work: 40 requests/s x 25 ms on 16 cores = 6.25% busy.
        Assert.That(Mean(result, "latency p99", 2), Is.EqualTo(Mean(result, "latency p99", 1)).Within(2).Percent);
        Assert.That(Mean(result, "CPU utilization", 2), Is.EqualTo(40 * 0.025 / 16).Within(3).Percent);
        Assert.That(Mean(result, "hosts used", 2), Is.EqualTo(1));
        Assert.That(Mean(result, "cost per hour", 2), Is.EqualTo(0.80).Within(1e-9), "the node's hours, not a bill per use");
        Assert.That(Mean(result, "cost per hour", 1), Is.LessThan(0.2 * 0.80));
    }
}
