using System.Reflection;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Which VirtSim wrote a result: the package version (from git tags, by MinVer) and the commit it
/// was built from, as the build stamped them on the assembly.
/// </summary>
public static class VirtSimVersion
{
    /// <summary>The version with its build metadata, such as <c>0.2.0-alpha.0.12+3ad4e50c…</c>.</summary>
    public static string Informational { get; } =
        typeof(VirtSimVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The semantic version alone, such as <c>0.2.0-alpha.0.12</c>.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The commit the build came from (the first 12 hex digits), or null when the build did not know it.</summary>
    public static string? Commit => Informational.Split('+') is [_, var commit, ..] ? commit[..Math.Min(12, commit.Length)] : null;

    /// <summary>One line for footers and headers: <c>virtsim 0.2.0-alpha.0.12 (3ad4e50c1234)</c>.</summary>
    public static string Line => Commit is { } commit ? $"virtsim {Version} ({commit})" : $"virtsim {Version}";
}
