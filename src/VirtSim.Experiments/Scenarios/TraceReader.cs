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

    /// <summary>The largest trace read: the public trace's largest day is about 140 MB.</summary>
    private const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The most minutes a row may hold: a million, about two years.</summary>
    private const int MaxMinutes = 1_000_000;

    /// <summary>The counts of the row whose HashFunction is <paramref name="function"/>.</summary>
    public static int[] InvocationsPerMinute(string traceFile, YamlValue traceValue, string function, YamlValue functionValue)
    {
        if (FileKind.InputProblem(traceFile, MaxFileBytes, "a trace CSV file") is { } problem)
        {
            throw traceValue.Error($"{traceFile} {problem}");
        }
        if (!File.Exists(traceFile))
        {
            throw traceValue.Error($"no trace file at {traceFile} (paths are relative to the scenario file)");
        }
        int[]? found = null;
        long foundAt = 0;
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
            if (functions.Count < 6)
            {
                functions.Add(name);
            }
            if (name != function)
            {
                continue;
            }
            if (found is not null)
            {
                throw new ScenarioException(traceFile, (int)reader.LineNumber, FirstMinuteColumn - 1,
                    $"names function {function} again (also at line {foundAt}); expected one row a function");
            }
            if (reader.FieldCount - FirstMinuteColumn > MaxMinutes)
            {
                throw new ScenarioException(traceFile, (int)reader.LineNumber, 1,
                    $"{function} has {reader.FieldCount - FirstMinuteColumn:N0} minutes; expected at most {MaxMinutes:N0} (about two years)");
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
            found = counts;
            foundAt = reader.LineNumber;
        }
        if (found is not null)
        {
            return found;
        }
        throw functionValue.Error(functions.Count == 0
            ? $"the trace {traceFile} has no functions"
            : $"no function '{function}' in {Path.GetFileName(traceFile)} (it has {string.Join(", ", functions.Take(5).Select(Messages.Escape))}{(functions.Count > 5 ? ", …" : "")})");
    }
}
