using CsvHelper;

namespace VirtSim.Experiments.Results;

/// <summary>How results write numbers into CSV.</summary>
internal static class CsvFields
{
    /// <summary>Writes <paramref name="value"/> round-trippable, or an empty field when it is NaN or infinite (no value).</summary>
    public static void WriteNumberOrEmpty(this CsvWriter csv, double value)
    {
        if (double.IsFinite(value))
        {
            csv.WriteField(value, "R");
        }
        else
        {
            csv.WriteField("");
        }
    }
}
