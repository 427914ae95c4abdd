using VirtSim.Kernel.Random;

namespace VirtSim.Tests.Kernel;

public class OnOffArrivalTests
{
    // Bursts: 2 requests/s while on, on for 1 min on average, off for 10 min on average.
    private static readonly Distribution.OnOff Source = new(Rate: 2, MeanOn: 60, MeanOff: 600);

    /// <summary>
    /// The source built literally, independent of the hyperexponential shortcut: alternating
    /// exponential on and off periods, Poisson arrivals while on (a gap cut by the end of an on
    /// period resumes afresh in the next one: the exponential forgets), the gaps between arrivals.
    /// </summary>
    private static List<double> LiteralGaps(RandomStream random, int count)
    {
        var gaps = new List<double>(count);
        double now = 0, last = double.NaN;
        while (gaps.Count < count)
        {
            double onEnd = now + Exp(random, Source.MeanOn);
            while (true)
            {
                double next = now + Exp(random, 1 / Source.Rate);
                if (next > onEnd)
                {
                    break;
                }
                if (!double.IsNaN(last))
                {
                    gaps.Add(next - last);
                }
                now = last = next;
            }
            now = onEnd + Exp(random, Source.MeanOff);
        }
        return gaps;
    }

    private static double Exp(RandomStream random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    [Test]
    public void TheSampledGapsMatchTheLiteralOnOffSource()
    {
        const int n = 4_000_000;
        var literal = LiteralGaps(new RandomStreams(3)["literal"], n);
        var sampler = Source.Bind(new RandomStreams(3)["sampled"]);
        var sampled = Enumerable.Range(0, n).Select(_ => sampler.Sample()).ToList();

        // The long-run rate is the on rate times the share of time on: 2 × 60 / 660 per second.
        // (The gaps' squared coefficient of variation is about 200: a mean of 4 million gaps is
        // within 0.7% (one standard error) of the true one.)
        Assert.That(Source.Mean, Is.EqualTo(660.0 / 120).Within(1e-12));
        Assert.That(literal.Average(), Is.EqualTo(Source.Mean).Within(0.03 * Source.Mean));
        Assert.That(sampled.Average(), Is.EqualTo(Source.Mean).Within(0.03 * Source.Mean));
        double literalScv = Variance(literal) / (literal.Average() * literal.Average());
        Assert.That(Source.SquaredCoefficientOfVariation, Is.EqualTo(literalScv).Within(0.05 * literalScv));

        // Survival at the scale of a request gap, a keep-alive and a long idle spell.
        foreach (double t in new[] { 0.5, 2.0, 60.0, 600.0 })
        {
            double literalShare = literal.Count(g => g > t) / (double)n;
            double sampledShare = sampled.Count(g => g > t) / (double)n;
            Assert.That(Source.Survival(t), Is.EqualTo(literalShare).Within(0.003), $"P(gap > {t} s), closed form");
            Assert.That(sampledShare, Is.EqualTo(literalShare).Within(0.004), $"P(gap > {t} s), sampled");
        }
    }

    [Test]
    public void WithoutOffPeriodsTheSourceIsPoisson()
    {
        var poisson = new Distribution.OnOff(Rate: 2, MeanOn: 1e12, MeanOff: 1e-3);
        Assert.That(poisson.Mean, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(poisson.Survival(1), Is.EqualTo(Math.Exp(-2)).Within(1e-6));
        Assert.That(poisson.SquaredCoefficientOfVariation, Is.EqualTo(1).Within(1e-3));
    }

    private static double Variance(List<double> values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
