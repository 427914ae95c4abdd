using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class UnitsTests
{
    [TestCase("250ms", 0.25)]
    [TestCase("2s", 2)]
    [TestCase("2 s", 2)]
    [TestCase("10min", 600)]
    [TestCase("1h", 3600)]
    [TestCase("1.5d", 129600)]
    [TestCase("40us", 40e-6)]
    [TestCase("3e2ms", 0.3)]
    public void DurationsConvertToSeconds(string text, double seconds)
    {
        Assert.That(Units.TryParseDuration(text, out double value, out _), Is.True);
        Assert.That(value, Is.EqualTo(seconds).Within(1e-12 * seconds));
    }

    [TestCase("3.2/s", 3.2)]
    [TestCase("120/min", 2)]
    [TestCase("36/h", 0.01)]
    public void RatesConvertToPerSecond(string text, double perSecond)
    {
        Assert.That(Units.TryParseRate(text, out double value, out _), Is.True);
        Assert.That(value, Is.EqualTo(perSecond).Within(1e-12));
    }

    [TestCase("10", "expected a unit after 10")]
    [TestCase("10 parsecs", "unknown time unit 'parsecs'")]
    [TestCase("fast", "expected a duration")]
    [TestCase("2hours", "unknown time unit 'hours' (expected one of ns, us, ms, s, min, h, d); did you mean 'h'?")]
    [TestCase("30 seconds", "did you mean 's'?")]
    [TestCase("10mins", "did you mean 'min'?")]
    public void BadDurationsSayWhatWasExpected(string text, string message)
    {
        Assert.That(Units.TryParseDuration(text, out _, out string error), Is.False);
        Assert.That(error, Does.Contain(message));
    }

    [TestCase("3.2", "expected a rate")]
    [TestCase("3/fortnight", "unknown time unit 'fortnight'")]
    public void BadRatesSayWhatWasExpected(string text, string message)
    {
        Assert.That(Units.TryParseRate(text, out _, out string error), Is.False);
        Assert.That(error, Does.Contain(message));
    }

    [TestCase("10Gbit/s", "unknown unit 'Gbit/s'", "did you mean 'Gbps'?")]
    [TestCase("100Kbit/s", "unknown unit 'Kbit/s'", "did you mean 'kbps'?")]
    [TestCase("10Gbit", "unknown unit 'Gbit'", "did you mean 'Gbps'?")]
    public void BitRatesWrittenOutAreAnsweredWithTheirSymbol(string text, string message, string hint)
    {
        Assert.That(Units.TryParseBandwidth(text, out _, out string error), Is.False);
        Assert.That(error, Does.Contain(message).And.Contain(hint).And.Not.Contain("GiB"));
    }

    [Test]
    public void ASizePerSecondIsStillABandwidth()
    {
        Assert.That(Units.TryParseBandwidth("500MB/s", out double bytes, out _), Is.True);
        Assert.That(bytes, Is.EqualTo(500e6));
    }
}
