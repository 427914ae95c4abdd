using VirtSim.Kernel.Random;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Tests.Kernel;

public class StatisticsTests
{
    [Test]
    public void ATallyAgreesWithTheDirectFormulas()
    {
        double[] xs = [2, 4, 4, 4, 5, 5, 7, 9];
        var tally = new Tally();
        foreach (double x in xs)
        {
            tally.Add(x);
        }
        // Mean 5; squared deviations sum to 32; sample variance 32 / 7.
        Assert.That(tally.Count, Is.EqualTo(8));
        Assert.That(tally.Mean, Is.EqualTo(5));
        Assert.That(tally.Variance, Is.EqualTo(32.0 / 7).Within(1e-12));
        Assert.That((tally.Min, tally.Max), Is.EqualTo((2.0, 9.0)));
    }

    [Test]
    public void ATallyStaysAccurateFarFromZero()
    {
        // The naive sum-of-squares formula loses every digit here; Welford's does not.
        var tally = new Tally();
        foreach (double x in new[] { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 })
        {
            tally.Add(x);
        }
        Assert.That(tally.Variance, Is.EqualTo(30).Within(1e-6));
    }

    [Test]
    public void ATimeWeightedAverageWeighsEachValueByHowLongItHeld()
    {
        // 0 for 2 s, 3 for 1 s, 1 for 5 s: (0 * 2 + 3 * 1 + 1 * 5) / 8 = 1.
        var queue = new TimeWeighted();
        queue.Set(2, 3);
        queue.Set(3, 1);
        Assert.That(queue.Mean(8), Is.EqualTo(1));
        Assert.That(queue.Max, Is.EqualTo(3));
        queue.Reset(8);
        Assert.That(queue.Mean(10), Is.EqualTo(1));
    }

    [Test]
    public void SketchQuantilesAreWithinTheirRelativeAccuracyOfTheExactOnes()
    {
        var sampler = new Distribution.LogNormal(1, 3).Bind(new RandomStreams(5)["values"]);
        var values = Enumerable.Range(0, 1_000_000).Select(_ => sampler.Sample()).ToArray();
        var sketch = new QuantileSketch(0.005);
        foreach (double v in values)
        {
            sketch.Add(v);
        }
        Array.Sort(values);
        foreach (double q in new[] { 0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 })
        {
            double exact = values[(int)Math.Floor(q * (values.Length - 1))];
            Assert.That(sketch.Quantile(q), Is.EqualTo(exact).Within(0.005 * exact + 1e-15), $"q = {q}");
        }
    }

    [Test]
    public void ASketchStaysBoundedOverAHugeRangeOfValues()
    {
        var sketch = new QuantileSketch(0.005);
        var stream = new RandomStreams(1)["spread"];
        for (int i = 0; i < 200_000; i++)
        {
            sketch.Add(Math.Pow(10, -9 + 18 * stream.NextDouble()));   // 1 ns to 31 years
        }
        Assert.That(sketch.BucketCount, Is.LessThanOrEqualTo(QuantileSketch.MaxBuckets));
        // The top of the range keeps its accuracy; only the merged lowest values coarsen.
        double p99 = sketch.Quantile(0.99);
        Assert.That(Math.Log10(p99), Is.EqualTo(-9 + 18 * 0.99).Within(0.05));
    }

    [Test]
    public void AConfidenceIntervalUsesStudentsT()
    {
        // Ten values 1..10: mean 5.5, s = sqrt(55/6) = 3.0277; t(0.975, 9) = 2.2622.
        var ci = ConfidenceInterval.Of(Enumerable.Range(1, 10).Select(i => (double)i).ToList());
        Assert.That(ci.Mean, Is.EqualTo(5.5));
        Assert.That(ci.HalfWidth, Is.EqualTo(2.2622 * 3.02765 / Math.Sqrt(10)).Within(1e-3));
    }

    [Test]
    public void NinetyFivePercentIntervalsCoverTheTrueMeanNinetyFivePercentOfTheTime()
    {
        var sampler = new Distribution.Exponential(1).Bind(new RandomStreams(77)["coverage"]);
        int covered = 0;
        const int trials = 4000;
        for (int t = 0; t < trials; t++)
        {
            // Means of 50 exponentials are close enough to normal for t intervals.
            var means = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 50).Select(_ => sampler.Sample()).Average()).ToList();
            if (ConfidenceInterval.Of(means).Contains(1))
            {
                covered++;
            }
        }
        // Binomial(4000, 0.95) has standard deviation 13.8; allow about four of them.
        Assert.That(covered / (double)trials, Is.EqualTo(0.95).Within(0.014));
    }
}
