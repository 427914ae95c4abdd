using System.Globalization;
using System.Text;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// User text echoed in messages and tables: control characters (an escape sequence that clears
/// the screen or retitles the terminal, a carriage return that overwrites the line) and
/// bidirectional overrides are shown as <c>\u001B</c>-style escapes, never sent raw.
/// </summary>
public static class Messages
{
    /// <summary>Whether <paramref name="c"/> would act on a terminal rather than show as itself.</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';

    /// <summary><paramref name="text"/> with every unsafe character escaped.</summary>
    public static string Escape(string? text)
    {
        if (text is null || !text.Any(IsUnsafe))
        {
            return text ?? "";
        }
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (IsUnsafe(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
