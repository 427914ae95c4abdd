using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>An example comparison with shorter runs, so tests of its wiring stay quick.</summary>
internal static class ShortComparison
{
    /// <summary>The example <paramref name="file"/>, every deployment measured for <paramref name="duration"/> seconds after <paramref name="warmup"/>.</summary>
    public static Comparison Load(string file, double duration, double warmup)
    {
        var comparison = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, file));
        return comparison with
        {
            Deployments = comparison.Deployments.Select(d => (d.Name, d.Kind, d.Scenario with { Duration = duration, Warmup = warmup })).ToList(),
        };
    }
}
