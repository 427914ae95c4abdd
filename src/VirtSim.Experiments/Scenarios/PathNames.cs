using System.Text;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Names that become file or folder names in the results (deployment folders, file names, CSV
/// columns): a plain name of one path segment, so that no scenario can make VirtSim write outside
/// its results folder or over the folder itself.
/// </summary>
public static class PathNames
{
    /// <summary>The longest name accepted, in characters.</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// The longest name accepted, in UTF-8 bytes: file systems allow 255 bytes a segment, and
    /// VirtSim adds to a name (<c>NAME.csv</c>, plot names), so a hundred characters of three bytes
    /// each would pass the character bound and fail at the end of a run.
    /// </summary>
    public const int MaxBytes = 150;

    /// <summary>Markdown table cell text: a '|' in a name would end the cell.</summary>
    public static string InCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

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
        if (name.Any(Messages.IsUnsafe))
        {
            return "expected a name without control characters";
        }
        if (name.Length > MaxLength)
        {
            return $"expected a name of at most {MaxLength} characters, not {name.Length}";
        }
        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"expected a name of at most {MaxBytes} bytes in UTF-8, not {Encoding.UTF8.GetByteCount(name)}";
        }
        return null;
    }
}
