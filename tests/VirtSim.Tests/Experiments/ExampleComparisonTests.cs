using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Results;
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
    public void InTheBatchExampleTheFunctionCostsMoreThanTheHostsItWouldReplace()
    {
        var result = Run("compare-batch.yaml");
        // 10 calls/s for an hour, each about 2 s at 2 GiB, at Lambda's GB-second and request
        // prices: 36,000 × 2 s × 2 GB × 0.0000166667 + 36,000 × 0.20 / 1e6 ≈ 2.41 per hour.
        var price = FunctionPricing.Default;
        double expected = 36_000 * 2.0 * 2 * price.PerGbSecond + 36_000 * price.PerMillionRequests / 1e6;
        Assert.That(Mean(result, "cost per hour", 2), Is.EqualTo(expected).Within(3).Percent);
        Assert.That(Mean(result, "cost per hour", 0), Is.EqualTo(2 * 0.80).Within(1e-9), "two hosts at 0.80/h");
        Assert.That(Mean(result, "cost per hour", 1), Is.EqualTo(2 * 0.80).Within(1e-9), "two hosts at 0.80/h");
        // 20 cores of demand: 69% of the VMs' 32 vCPUs after the hypervisor's share, 83% of the
        // containers' 24 cores; the busier pool queues longer.
        Assert.That(Mean(result, "latency p99", 1), Is.GreaterThan(Mean(result, "latency p99", 0)));
    }
}
