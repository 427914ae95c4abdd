using System.Text.RegularExpressions;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// While the readers read a file, notes for every place in it what they allow there: the keys of
/// each mapping (all of them, as the reader lists them, not only those written) and the kind of
/// each value (a whole number, a quantity with a unit, one of some words, a list). Reading the
/// example files with it on gives the vocabulary the JSON Schema is generated from
/// (<see cref="ScenarioSchema"/>), so the schema is never kept by hand.
/// </summary>
internal sealed partial class SchemaRecorder
{
    private static readonly AsyncLocal<SchemaRecorder?> Current = new();

    /// <summary>Keys allowed at each place (a path with list indexes as <c>[]</c>).</summary>
    public Dictionary<string, SortedSet<string>> Sections { get; } = new(StringComparer.Ordinal);

    /// <summary>What kinds of value each place took.</summary>
    public Dictionary<string, HashSet<string>> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>The words allowed at places that take one of some words.</summary>
    public Dictionary<string, SortedSet<string>> Choices { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="read"/> with this recorder listening.</summary>
    public void During(Action read)
    {
        var before = Current.Value;
        Current.Value = this;
        try
        {
            read();
        }
        finally
        {
            Current.Value = before;
        }
    }

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Index();

    internal static string Place(string path) => Index().Replace(path, "[]");

    internal static void Section(string path, IEnumerable<string> keys)
    {
        if (Current.Value is { } recorder)
        {
            string place = Place(path);
            if (!recorder.Sections.TryGetValue(place, out var set))
            {
                recorder.Sections.Add(place, set = new SortedSet<string>(StringComparer.Ordinal));
            }
            set.UnionWith(keys);
            Kind(path, "object");
        }
    }

    internal static void Kind(string path, string kind)
    {
        if (Current.Value is { } recorder)
        {
            string place = Place(path);
            if (!recorder.Kinds.TryGetValue(place, out var set))
            {
                recorder.Kinds.Add(place, set = new HashSet<string>(StringComparer.Ordinal));
            }
            set.Add(kind);
        }
    }

    internal static void Choice(string path, IEnumerable<string> words)
    {
        if (Current.Value is { } recorder)
        {
            string place = Place(path);
            if (!recorder.Choices.TryGetValue(place, out var set))
            {
                recorder.Choices.Add(place, set = new SortedSet<string>(StringComparer.Ordinal));
            }
            set.UnionWith(words);
            Kind(path, "choice");
        }
    }
}
