using CsvHelper;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Reads per-minute invocation counts in the layout of the public Azure Functions 2019 trace
/// (Shahrad et al., USENIX ATC 2020): columns HashOwner, HashApp, HashFunction, Trigger, then
/// one column per minute (1, 2, …), one row per function.
/// </summary>
internal static class TraceReader
{
    private const int FirstMinuteColumn = 4;

    /// <summary>The counts of the row whose HashFunction is <paramref name="function"/>.</summary>
    public static int[] InvocationsPerMinute(string traceFile, YamlValue traceValue, string function, YamlValue functionValue)
    {
        if (!File.Exists(traceFile))
        {
            throw traceValue.Error($"no trace file at {traceFile} (paths are relative to the scenario file)");
        }
        using var reader = CsvReader.FromFile(traceFile, new CsvReaderOptions { TrackLineNumbers = true });
        var functions = new List<string>();
        while (reader.Read())
        {
            if (reader.FieldCount <= FirstMinuteColumn || reader.Headers.Count <= 2 || reader.Headers[2] != "HashFunction")
            {
                throw new ScenarioException(traceFile, (int)reader.LineNumber, 1,
                    "expected the Azure Functions 2019 layout: HashOwner,HashApp,HashFunction,Trigger,1,2,… with one count per minute");
            }
            string name = reader[2].ToString();
            functions.Add(name);
            if (name != function)
            {
                continue;
            }
            var counts = new int[reader.FieldCount - FirstMinuteColumn];
            for (int i = 0; i < counts.Length; i++)
            {
                var field = reader[FirstMinuteColumn + i];
                if (field.IsEmpty)
                {
                    continue;
                }
                if (!field.TryParse(out int count) || count < 0)
                {
                    throw new ScenarioException(traceFile, (int)reader.LineNumber, FirstMinuteColumn + i + 1,
                        $"minute {i + 1} of {function}: expected a whole number of invocations, zero or more, not '{field.ToString()}'");
                }
                counts[i] = count;
            }
            return counts;
        }
        throw functionValue.Error(functions.Count == 0
            ? $"the trace {traceFile} has no functions"
            : $"no function '{function}' in {Path.GetFileName(traceFile)} (it has {string.Join(", ", functions.Take(5))}{(functions.Count > 5 ? ", …" : "")})");
    }
}
