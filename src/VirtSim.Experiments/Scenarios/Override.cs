using System.Globalization;
using System.Runtime.CompilerServices;
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

    /// <summary>As a message shows it: escaped, and a long value cut to its start, so one line stays one line.</summary>
    internal string Shown
    {
        get
        {
            string text = Messages.Escape(ToString());
            return text.Length <= 120 ? text : $"{text[..100]}… ({text.Length:N0} characters)";
        }
    }

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

    /// <summary>The override that put each node in a tree: an error at such a node is the override's, not the file's.</summary>
    private static readonly ConditionalWeakTable<YamlNode, Override> Origins = [];

    /// <summary>The override whose value (or new key) <paramref name="node"/> is, or null when the file wrote it.</summary>
    internal static Override? Origin(YamlNode node) => Origins.TryGetValue(node, out var set) ? set : null;

    /// <summary>
    /// An error at <paramref name="node"/>: at its line and column when the file wrote it, said of
    /// the <c>--set</c> that put it there otherwise.
    /// </summary>
    internal static ScenarioException At(string file, YamlNode node, string message) =>
        Origin(node) is { } set
            ? new ScenarioException(file, 0, 0, $"--set {set.Shown}: {message}")
            : new ScenarioException(file, (int)node.Start.Line, (int)node.Start.Column, message);

    /// <summary>
    /// Puts each override's value into the file's tree, and records its nodes as the override's
    /// (<see cref="At"/>). A mapping or list that YAML anchors share is copied on the way down,
    /// so a value set in one place changes that place only.
    /// </summary>
    internal static void Apply(string file, YamlNode root, IReadOnlyList<Override> overrides)
    {
        var shared = SharedNodes(root);
        foreach (var set in overrides)
        {
            var segments = Segments(set.Path, out string? problem)
                ?? throw new ScenarioException(file, 0, 0, problem!);
            var value = ParseValue(file, set);
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
                        Origins.AddOrUpdate(keyNode, set);
                        mapping.Children.Add(keyNode, value);
                        break;
                    }
                    var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(n => n.Value!).ToList();
                    throw Problem(file, set, $"the file has no '{walked}' (keys there: {string.Join(", ", keys)}){Suggest.DidYouMean(key, keys)}");
                }
                if (last)
                {
                    Replacing(file, set, child, overrides);
                    mapping.Children[keyNode] = value;
                    break;
                }
                child = Unshared(child, shared, copy => mapping.Children[keyNode] = copy);
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
                        Replacing(file, set, list.Children[index], overrides);
                        list.Children[index] = value;
                    }
                    child = Unshared(list.Children[index], shared, copy => list.Children[index] = copy);
                }
                node = child;
            }
        }
    }

    /// <summary>
    /// Refuses <paramref name="set"/> replacing what another override of the same call, by another
    /// path, put there (<c>functions[api].memory</c> and <c>functions[0].memory</c>): one of the
    /// two would be lost without a word. The same path given twice is allowed; the last counts.
    /// </summary>
    private static void Replacing(string file, Override set, YamlNode old, IReadOnlyList<Override> overrides)
    {
        // What is replaced may hold an earlier value deeper down (station.arrivals.rate, then station.arrivals).
        var pending = new Stack<YamlNode>();
        pending.Push(old);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (Origin(node) is { } earlier && earlier.Path != set.Path && overrides.Contains(earlier))
            {
                throw Problem(file, set, $"names the value {earlier.Path} names too, so one of them would be lost; set it once");
            }
            foreach (var child in node switch
            {
                YamlMappingNode mapping => mapping.Children.Values,
                YamlSequenceNode list => list.Children,
                _ => [],
            })
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>The mappings and lists reached more than once from <paramref name="root"/> (through anchors and aliases).</summary>
    private static HashSet<YamlNode> SharedNodes(YamlNode root)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var shared = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is YamlScalarNode)
            {
                continue;
            }
            if (!seen.Add(node))
            {
                shared.Add(node);
                continue;
            }
            foreach (var child in node is YamlMappingNode mapping ? mapping.Children.Values : ((YamlSequenceNode)node).Children)
            {
                pending.Push(child);
            }
        }
        return shared;
    }

    /// <summary><paramref name="node"/>, or, when anchors share it, a copy of it that <paramref name="replace"/> puts in its place (its own children stay shared, and are copied in turn if the path goes through them).</summary>
    private static YamlNode Unshared(YamlNode node, HashSet<YamlNode> shared, Action<YamlNode> replace)
    {
        if (!shared.Contains(node))
        {
            return node;
        }
        YamlNode copy = node switch
        {
            YamlMappingNode mapping => new YamlMappingNode(mapping.Children.Select(c => new KeyValuePair<YamlNode, YamlNode>(c.Key, c.Value))),
            YamlSequenceNode list => new YamlSequenceNode(list.Children.ToList()),
            _ => node,
        };
        replace(copy);
        return copy;
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

    private static YamlNode ParseValue(string file, Override set)
    {
        string text = set.Value.Length == 0 ? "''" : set.Value;
        var stream = new YamlStream();
        try
        {
            // The value's shape is checked as a file's is, so a value nested 50,000 deep is a message, not a stack overflow.
            YamlSection.CheckShape(file, new TrackingParser(new Parser(new StringReader(text))));
            stream.Load(new StringReader(text));
        }
        catch (ScenarioException e)
        {
            throw Problem(file, set, e.Problem);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            throw Problem(file, set, $"the value is not YAML ({(e.InnerException?.Message ?? e.Message).Trim()})");
        }
        if (stream.Documents.Count != 1)
        {
            throw Problem(file, set, stream.Documents.Count == 0 ? "expected a value" : "the value holds more than one YAML document ('---'); expected one value");
        }
        var root = stream.Documents[0].RootNode;
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            Origins.AddOrUpdate(node, set);
            foreach (var child in node switch
            {
                YamlMappingNode mapping => mapping.Children.SelectMany(c => (YamlNode[])[c.Key, c.Value]),
                YamlSequenceNode list => list.Children,
                _ => [],
            })
            {
                pending.Push(child);
            }
        }
        return root;
    }

    private static ScenarioException Problem(string file, Override set, string message) =>
        new(file, 0, 0, $"--set {set.Shown}: {message}");
}
