namespace VirtSim.Tests.Cli;

/// <summary>"Did you mean" for values, units and options, as for keys.</summary>
public class SuggestionTests : WithWorkFolder
{
    [TestCase("duration: 10h", "duration: 10mins", "unknown time unit 'mins' (expected one of ns, us, ms, s, min, h, d); did you mean 'min'?")]
    [TestCase("  discipline: fcfs", "  discipline: fcsf", "expected one of fcfs, ps, not 'fcsf'; did you mean 'fcfs'?")]
    [TestCase("rate: 0.8/s", "rate: 0.8/sec", "unknown time unit 'sec' in rate (expected one of ns, us, ms, s, min, h, d after '/'); did you mean 's'?")]
    [TestCase("distribution: exponential", "distribution: exponental", "not 'exponental'; did you mean 'exponential'?")]
    [TestCase("duration: 10h", "duration: 10hours", "unknown time unit 'hours' (expected one of ns, us, ms, s, min, h, d); did you mean 'h'?")]
    public void AMistypedValueOrUnitGetsASuggestion(string written, string mistyped, string message)
    {
        string text = File.ReadAllText(Path.Combine(Repository.Examples, "mm1.yaml"));
        Assert.That(text, Does.Contain(written));
        string file = Path.Combine(Work, "mm1.yaml");
        File.WriteAllText(file, text.Replace(written, mistyped, StringComparison.Ordinal));
        var (code, _, errors) = Virtsim.Run("validate", file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors, Does.Contain(message));
    }
}
