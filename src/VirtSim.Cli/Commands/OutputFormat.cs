namespace VirtSim.Cli.Commands;

/// <summary>How <c>run</c> and <c>compare</c> print their results (<c>--format</c>).</summary>
public enum OutputFormat
{
    /// <summary>A table for people: grouped, each number in a unit that suits it.</summary>
    Table,

    /// <summary>The same as Markdown.</summary>
    Markdown,

    /// <summary>CSV: every metric, SI units, every digit.</summary>
    Csv,

    /// <summary>JSON: what summary.json holds (for a comparison, its rows).</summary>
    Json,
}
