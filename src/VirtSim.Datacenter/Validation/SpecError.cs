namespace VirtSim.Datacenter.Validation;

/// <summary>
/// Why a spec cannot be simulated, and where: <paramref name="Path"/> names the value in a
/// scenario file's terms (<c>datacenter.hosts[0].image_cache</c>, <c>functions[1].calls[0].function</c>),
/// so that a reader can point at the line that says it and a program that built the spec in C#
/// can tell which argument is wrong.
/// </summary>
/// <param name="Path">Where, relative to the spec that reported it ("" for the spec itself).</param>
/// <param name="Message">What is wrong, in one sentence without a capital or a full stop.</param>
public readonly record struct SpecError(string Path, string Message)
{
    /// <summary>The same error seen from a spec that holds the reporting one at <paramref name="prefix"/>.</summary>
    public SpecError Under(string prefix) => new(SpecPath.Join(prefix, Path), Message);

    /// <summary>A reference at <paramref name="path"/> to a <paramref name="what"/> named <paramref name="name"/> that is not among <paramref name="declared"/>.</summary>
    public static SpecError UnknownName(string path, string what, string? name, IEnumerable<string> declared) =>
        new(path, $"no {what} named '{name}' (declared: {string.Join(", ", declared)})");

    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Paths of values in a scenario: keys joined by dots, list items by their index.</summary>
public static class SpecPath
{
    /// <summary><paramref name="path"/> below <paramref name="prefix"/>.</summary>
    public static string Join(string prefix, string path) =>
        prefix.Length == 0 ? path
        : path.Length == 0 ? prefix
        : path[0] == '[' ? prefix + path
        : $"{prefix}.{path}";

    /// <summary>Item <paramref name="index"/> of the list at <paramref name="list"/>.</summary>
    public static string Item(string list, int index) => $"{list}[{index}]";
}

/// <summary>A spec was given to the model that it cannot simulate; <see cref="Errors"/> says why and where.</summary>
public sealed class SpecException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="errors"/> (at least one).</summary>
    public SpecException(IReadOnlyList<SpecError> errors)
        : base(errors.Count == 1 ? errors[0].ToString() : $"{errors[0]} (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1))})") =>
        Errors = errors;

    /// <summary>Every reason, in the order the spec found them.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    /// <summary>Throws a <see cref="SpecException"/> if <paramref name="errors"/> holds any.</summary>
    public static void ThrowIfAny(IEnumerable<SpecError> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw new SpecException(list);
        }
    }
}
