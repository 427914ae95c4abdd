namespace VirtSim.Experiments.Scenarios;

/// <summary>"Did you mean": the allowed word nearest a mistyped one (within two edits), for keys, values, units and options.</summary>
public static class Suggest
{
    /// <summary>"; did you mean 'x'?" for the candidate nearest <paramref name="word"/>, or empty when none is near.</summary>
    public static string DidYouMean(string word, IReadOnlyCollection<string> candidates) =>
        Closest(word, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    /// <summary>The candidate within two edits (Levenshtein) of <paramref name="key"/>, the nearest first; null if none.</summary>
    public static string? Closest(string key, IReadOnlyCollection<string> allowed)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in allowed)
        {
            int d = Distance(key, candidate);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    internal static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
