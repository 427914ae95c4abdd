namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Bad input in a scenario file: one message with the file, the line and column, and what was
/// expected there, in the form compilers use (<c>file:line:column: error: ...</c>).
/// </summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the error for a position in <paramref name="file"/> (line and column from 1; 0 when unknown).</summary>
    public ScenarioException(string file, int line, int column, string message)
        : base(line > 0 ? $"{file}:{line}:{column}: error: {message}" : $"{file}: error: {message}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = message;
    }

    /// <summary>The scenario file.</summary>
    public string File { get; }

    /// <summary>The line, from 1 (0 when the whole file is at fault).</summary>
    public int Line { get; }

    /// <summary>The column, from 1.</summary>
    public int Column { get; }

    /// <summary>What was wrong and what was expected, without the position.</summary>
    public string Problem { get; }
}
