using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtSim.Experiments.Scenarios;

/// <summary>A parser that remembers where the last event it read started.</summary>
internal sealed class TrackingParser(IParser inner) : IParser
{
    public Mark LastGood { get; private set; } = Mark.Empty;

    public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (inner.Current is { } current)
        {
            LastGood = current.Start;
        }
        return inner.MoveNext();
    }
}

/// <summary>A YAML mapping whose keys are checked against the keys a section allows.</summary>
internal sealed partial class YamlSection
{
    private readonly string _file;
    private readonly YamlMappingNode _mapping;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public YamlSection(string file, string path, YamlMappingNode mapping, IReadOnlyCollection<string> allowed)
    {
        _file = file;
        Path = path;
        _mapping = mapping;
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalar)
            {
                throw Override.At(file, keyNode, YamlValue.Prefixed(path, "expected a plain key"));
            }
            _entries[key] = (scalar, value);
        }
        AllowOnly(allowed);
    }

    public string Path { get; }

    public void AllowOnly(IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, (keyNode, _)) in _entries)
        {
            if (!allowed.Contains(key))
            {
                string hint = Suggest.Closest(key, allowed) is { } near ? $"; did you mean '{near}'?" : "";
                throw Override.At(_file, keyNode,
                    YamlValue.Prefixed(Path, $"unknown key '{key}' (expected one of {string.Join(", ", allowed)}){hint}"));
            }
        }
    }

    public YamlValue? Optional(string key) =>
        _entries.TryGetValue(key, out var entry) ? new YamlValue(_file, Child(key), entry.Value) : null;

    public YamlValue Required(string key, string? example = null) =>
        Optional(key) ?? throw Override.At(_file, _mapping,
            YamlValue.Prefixed(Path, $"missing key '{key}'{(example is null ? "" : $" (for example {key}: {example})")}"));

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";


    /// <summary>Nesting deeper than this is refused before the tree is built (building it recurses).</summary>
    public const int MaxDepth = 100;

    /// <summary>Values a file may hold once its aliases are expanded: bounds "billion laughs" alias bombs.</summary>
    public const long MaxValues = 1_000_000;

    internal static YamlValue LoadRoot(string file, string text, IReadOnlyList<Override>? overrides = null)
    {
        var stream = new YamlStream();
        // The same text is read twice: once to check its shape, once to build the tree.
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            CheckShape(file, parser);
            parser = new TrackingParser(new Parser(new StringReader(text)));
            stream.Load(parser);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unterminated
            // constructs; the last event it read is where the trouble starts.
            var at = parser.LastGood;
            throw new ScenarioException(file, (int)at.Line, (int)at.Column,
                "broken YAML: a list or mapping starting here is not closed (a missing ']' or '}'?)");
        }
        catch (YamlException e)
        {
            string reason = (e.InnerException?.Message ?? e.Message).Trim();
            int cut = reason.IndexOf("): ", StringComparison.Ordinal);
            if (reason.StartsWith('(') && cut > 0)
            {
                reason = reason[(cut + 3)..];
            }
            var (line, column, said) = Locate(text, e, reason);
            throw new ScenarioException(file, line, column, $"broken YAML: {said}");
        }
        var root = Root(file, stream);
        if (overrides is { Count: > 0 })
        {
            Override.Apply(file, root.Node, overrides);
        }
        return root;
    }

    /// <summary>
    /// Where a YAML error is, and what to say of it. YamlDotNet puts two of its errors at the
    /// document's start: a tab in the indentation and an alias of an anchor never declared; those
    /// are found in the text itself.
    /// </summary>
    private static (int Line, int Column, string Reason) Locate(string text, YamlException e, string reason)
    {
        var lines = text.Split('\n');
        if (reason.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            for (int i = 0; i < lines.Length; i++)
            {
                int indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                int tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0 && tab < indent)
                {
                    return (i + 1, tab + 1, "a tab in the indentation; YAML indents with spaces only");
                }
            }
        }
        if (AnchorMissing().Match(reason) is { Success: true } missing)
        {
            string name = missing.Groups[1].Value;
            for (int i = 0; i < lines.Length; i++)
            {
                var alias = Regex.Match(lines[i], $@"(?<![^\s\[{{,:-])\*{Regex.Escape(name)}(?![^\s\]}},])");
                if (alias.Success && !lines[i][..alias.Index].Contains('#', StringComparison.Ordinal))
                {
                    return (i + 1, alias.Index + 1, $"the alias *{name} refers to no anchor: declare &{name} on a value above it");
                }
            }
        }
        return ((int)e.Start.Line, (int)e.Start.Column, reason);
    }

    [GeneratedRegex(@"anchor '([^']+)' does not exist")]
    private static partial Regex AnchorMissing();

    /// <summary>
    /// Reads the file's events once, without building anything, and refuses nesting deeper than
    /// <see cref="MaxDepth"/> and more than <see cref="MaxValues"/> values with aliases expanded,
    /// so that hostile input ends in a message instead of a stack overflow or an exhausted memory.
    /// </summary>
    internal static void CheckShape(string file, TrackingParser parser)
    {
        var open = new Stack<(string? Anchor, long Start)>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long values = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.NodeEvent { } start when start is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    values++;
                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, values));
                    if (open.Count > MaxDepth)
                    {
                        throw new ScenarioException(file, (int)start.Start.Line, (int)start.Start.Column,
                            $"lists and mappings nested more than {MaxDepth} deep; a scenario needs a handful of levels");
                    }
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    var (anchor, first) = open.Pop();
                    if (anchor is not null)
                    {
                        sizes[anchor] = values - first + 1;
                    }
                    break;
                case YamlDotNet.Core.Events.Scalar scalar:
                    values++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }
                    break;
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    values += sizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
            }
            if (values > MaxValues)
            {
                var at = parser.Current!.Start;
                throw new ScenarioException(file, (int)at.Line, (int)at.Column,
                    $"the file holds more than {MaxValues:N0} values once its aliases (*name) are expanded; expected a scenario, not a data set");
            }
        }
    }

    private static YamlValue Root(string file, YamlStream stream)
    {
        if (stream.Documents.Count == 0)
        {
            throw new ScenarioException(file, 1, 1, "the file is empty; expected a scenario mapping (name, duration, station, ...)");
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw new ScenarioException(file, (int)second.Start.Line, (int)second.Start.Column, "expected one YAML document, found more");
        }
        return new YamlValue(file, "", stream.Documents[0].RootNode);
    }
}
