using MathNet.Numerics.Distributions;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

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
        // Gaps are log-normal with mean 20 s and sd 120 s; a gap longer than the 1-minute
        // keep-alive finds every instance gone, so at least that fraction of calls start cold
        // (more do: calls that arrive while the only instance is still starting also start one).
        double sigma2 = Math.Log(1 + (120.0 / 20) * (120.0 / 20));
        var gap = new LogNormal(Math.Log(20) - sigma2 / 2, Math.Sqrt(sigma2));
        double longGaps = 1 - gap.CumulativeDistribution(60);
        Assert.That(longGaps, Is.EqualTo(0.063).Within(0.001));
        double cold = Mean(result, "cold starts", 2);
        Assert.That(cold, Is.GreaterThan(longGaps * 0.9).And.LessThan(longGaps * 2));
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
