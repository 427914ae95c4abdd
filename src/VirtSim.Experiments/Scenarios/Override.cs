using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// A change to one value of a scenario or comparison file, by its path, as <c>--set</c> gives it:
/// <c>workload.arrivals.rate=80/s</c>, <c>functions[api].keep_alive=5min</c>,
/// <c>datacenter.hosts[web].count=8</c>. Keys are separated by dots; <c>[x]</c> picks the item of a
/// list whose <c>name</c> (or a host group's <c>group</c>) is x, or the item at index x (from 0).
/// The value is YAML (<c>[10/s, 20/s]</c> is a list). The file is read as if it held the value there,
/// so every check a file gets applies to it; a key that is not written may be set when its mapping is.
/// </summary>
/// <param name="Path">Where, such as <c>functions[api].keep_alive</c>.</param>
/// <param name="Value">The value, as YAML.</param>
public sealed record Override(string Path, string Value)
{
    /// <summary><c>PATH=VALUE</c>.</summary>
    public override string ToString() => $"{Path}={Value}";

    /// <summary>Reads <c>PATH=VALUE</c>; null with a reason when it is not one.</summary>
    public static Override? Parse(string text, out string? problem)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            problem = $"--set takes PATH=VALUE, such as workload.arrivals.rate=80/s, not '{text}'";
            return null;
        }
        var set = new Override(text[..equals].Trim(), text[(equals + 1)..].Trim());
        if (Segments(set.Path, out problem) is null)
        {
            return null;
        }
        return set;
    }

    private static List<(string Key, List<string> Selectors)>? Segments(string path, out string? problem)
    {
        var segments = new List<(string, List<string>)>();
        int i = 0;
        while (i < path.Length)
        {
            int start = i;
            while (i < path.Length && path[i] != '.' && path[i] != '[')
            {
                i++;
            }
            string key = path[start..i];
            if (key.Length == 0)
            {
                problem = $"--set: '{path}' has an empty key; expected keys separated by dots, such as workload.arrivals.rate";
                return null;
            }
            var selectors = new List<string>();
            while (i < path.Length && path[i] == '[')
            {
                int close = path.IndexOf(']', i);
                if (close < 0 || close == i + 1)
                {
                    problem = $"--set: '{path}' has a '[' without a name or index and its ']'";
                    return null;
                }
                selectors.Add(path[(i + 1)..close]);
                i = close + 1;
            }
            segments.Add((key, selectors));
            if (i < path.Length)
            {
                if (path[i] != '.')
                {
                    problem = $"--set: '{path}': expected '.' or '[' after '{path[..i]}'";
                    return null;
                }
                i++;
                if (i == path.Length)
                {
                    problem = $"--set: '{path}' ends with a dot";
                    return null;
                }
            }
        }
        problem = null;
        return segments;
    }

    /// <summary>
    /// Puts each override's value into the file's tree. A value is parsed as YAML placed after the
    /// file's last line (at a line base of its own), so a later error at such a line is the
    /// override's; <see cref="Blame"/> turns it into a message about the override.
    /// </summary>
    internal static void Apply(string file, YamlNode root, IReadOnlyList<Override> overrides, int lineBase)
    {
        for (int k = 0; k < overrides.Count; k++)
        {
            var set = overrides[k];
            var segments = Segments(set.Path, out string? problem)
                ?? throw new ScenarioException(file, 0, 0, problem!);
            var value = ParseValue(file, set, LineBase(lineBase, k));
            YamlNode node = root;
            string walked = "";
            for (int s = 0; s < segments.Count; s++)
            {
                var (key, selectors) = segments[s];
                bool last = s == segments.Count - 1 && selectors.Count == 0;
                if (node is not YamlMappingNode mapping)
                {
                    throw Problem(file, set, $"'{(walked.Length == 0 ? "the file" : walked)}' is not a mapping, so it has no key '{key}'");
                }
                var keyNode = new YamlScalarNode(key);
                walked = walked.Length == 0 ? key : $"{walked}.{key}";
                if (!mapping.Children.TryGetValue(keyNode, out var child))
                {
                    if (last)
                    {
                        mapping.Children.Add(keyNode, value);
                        break;
                    }
                    var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(n => n.Value!).ToList();
                    throw Problem(file, set, $"the file has no '{walked}' (keys there: {string.Join(", ", keys)}){Suggest.DidYouMean(key, keys)}");
                }
                if (last)
                {
                    mapping.Children[keyNode] = value;
                    break;
                }
                for (int x = 0; x < selectors.Count; x++)
                {
                    bool lastSelector = s == segments.Count - 1 && x == selectors.Count - 1;
                    if (child is not YamlSequenceNode list)
                    {
                        throw Problem(file, set, $"'{walked}' is not a list, so [{selectors[x]}] picks nothing");
                    }
                    int index = Pick(file, set, list, selectors[x], walked);
                    walked += $"[{selectors[x]}]";
                    if (lastSelector)
                    {
                        list.Children[index] = value;
                    }
                    child = list.Children[index];
                }
                node = child;
            }
        }
    }

    private static int Pick(string file, Override set, YamlSequenceNode list, string selector, string walked)
    {
        var names = new List<string>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlMappingNode item)
            {
                foreach (string key in (string[])["name", "group"])
                {
                    if (item.Children.TryGetValue(new YamlScalarNode(key), out var name) && name is YamlScalarNode { Value: { } text })
                    {
                        if (text == selector)
                        {
                            return i;
                        }
                        names.Add(text);
                        break;
                    }
                }
            }
        }
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            if (index < list.Children.Count)
            {
                return index;
            }
            throw Problem(file, set, $"'{walked}' has {list.Children.Count} items, so [{index}] is past its end (indexes from 0)");
        }
        throw Problem(file, set, $"'{walked}' has no item named '{selector}'{(names.Count > 0 ? $" (names: {string.Join(", ", names)})" : "")}{Suggest.DidYouMean(selector, names)}");
    }

    private static int LineBase(int lineBase, int k) => lineBase + 1 + 1000 * k;

    private static YamlNode ParseValue(string file, Override set, int lineBase)
    {
        // Blank lines first: the value's nodes stand at lines no line of the file has.
        var text = new StringBuilder().Append('\n', lineBase - 1).Append(set.Value.Length == 0 ? "''" : set.Value).ToString();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : new YamlScalarNode("");
        }
        catch (YamlException e)
        {
            throw Problem(file, set, $"the value is not YAML ({(e.InnerException?.Message ?? e.Message).Trim()})");
        }
    }

    private static ScenarioException Problem(string file, Override set, string message) =>
        new(file, 0, 0, $"--set {set}: {message}");

    /// <summary>The error of a value an override put in the file, said of the override (null when the error is the file's own).</summary>
    internal static ScenarioException? Blame(ScenarioException error, IReadOnlyList<Override> overrides, int lineBase)
    {
        if (error.Line <= lineBase || overrides.Count == 0)
        {
            return null;
        }
        int k = Math.Clamp((error.Line - lineBase - 1) / 1000, 0, overrides.Count - 1);
        return new ScenarioException(error.File, 0, 0, $"--set {overrides[k]}: {error.Problem}");
    }
}
