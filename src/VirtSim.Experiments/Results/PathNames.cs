namespace VirtSim.Experiments.Results;

/// <summary>
/// Names that become file or folder names in the results (deployment folders, file names, CSV
/// columns): a plain name of one path segment, so that no scenario can make VirtSim write outside
/// its results folder or over the folder itself.
/// </summary>
public static class PathNames
{
    /// <summary>The longest name accepted, in characters (file systems allow 255 bytes a segment).</summary>
    public const int MaxLength = 100;

    /// <summary>What is wrong with <paramref name="name"/> as a folder or file name, or null when nothing is.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Trim().Length == 0)
        {
            return "expected a name, not an empty one";
        }
        if (name is "." or "..")
        {
            return $"'{name}' cannot name a results folder; expected a plain name such as web-api";
        }
        if (name.IndexOfAny(['/', '\\', ':']) >= 0 || Path.IsPathRooted(name))
        {
            return $"'{name}' names a path; expected a plain name without '/', '\\' or ':' (it becomes a folder or file name in the results)";
        }
        if (name.Any(char.IsControl))
        {
            return "expected a name without control characters";
        }
        if (name.Length > MaxLength)
        {
            return $"expected a name of at most {MaxLength} characters, not {name.Length}";
        }
        return null;
    }
}
