using System.Collections;
using System.Reflection;

namespace VirtSim.Experiments.Results;

/// <summary>
/// Every field of a shard file checked before anything is merged: a shard is input like a
/// scenario, and one edited or cut short must end in one line naming the file and the field, not
/// in a null reference or an allocation of two billion rows. The walk goes by the records' own
/// declarations: a reference the record does not declare nullable must be there, every time and
/// count must be finite and not negative, every text plain, every list of bounded length.
/// </summary>
internal static class ShardCheck
{
    /// <summary>The most shards, replications or points a run has (the scenario reader's own bound on replications).</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>The longest text a shard may hold: a scenario file's text is bounded by the reader's own limit.</summary>
    private const int MaxText = 64 * 1024 * 1024;

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>What is wrong with <paramref name="part"/>, as "field: problem", or null when nothing is.</summary>
    public static string? Problem(ShardFiles.Part part)
    {
        if (part.Format != 1)
        {
            return $"Format: expected 1, the only shard format this VirtSim reads, not {part.Format}";
        }
        if (part.Count is < 1 or > MaxCount)
        {
            return $"Count: expected a number of shards from 1 to {MaxCount:N0}, not {part.Count}";
        }
        if (part.Index < 0 || part.Index >= part.Count)
        {
            return $"Index: expected a shard index from 0 to {part.Count - 1}, not {part.Index}";
        }
        if (part.Replications is < 0 or > MaxCount)
        {
            return $"Replications: expected from 0 to {MaxCount:N0}, not {part.Replications}";
        }
        return Walk(part, "", depth: 0);
    }

    private static string? Walk(object value, string path, int depth)
    {
        // The records nest five deep at most (part, point, deployment, replication, row): deeper is not a shard.
        if (depth > 8)
        {
            return $"{path}: nested deeper than a shard file's records";
        }
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == nameof(VirtSim.Datacenter.Metrics.Measurement.Metric))
            {
                continue;
            }
            string field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            object? item = property.GetValue(value);
            if (Field(item, field, property, depth) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? Field(object? item, string field, PropertyInfo property, int depth)
    {
        switch (item)
        {
            case null:
                return Nullability.Create(property).ReadState == NullabilityState.Nullable ? null : $"{field}: expected a value, not null";
            case string text:
                return text.Length > MaxText ? $"{field}: expected a text of at most {MaxText:N0} characters"
                    : text.Contains('\0', StringComparison.Ordinal) ? $"{field}: expected text without NUL characters"
                    : null;
            case double number:
                // NaN stands for "no value" in a measurement; nothing a run measures is infinite or a negative time.
                return double.IsInfinity(number) ? $"{field}: expected a finite number, not {number}"
                    : number < 0 && property.Name != nameof(VirtSim.Datacenter.Metrics.Measurement.Value) ? $"{field}: expected a number not below 0, not {number}"
                    : null;
            case int or long:
                long whole = Convert.ToInt64(item, System.Globalization.CultureInfo.InvariantCulture);
                return whole < 0 ? $"{field}: expected a count not below 0, not {whole}" : null;
            case ulong:
                return null;
            case IList list:
                if (list.Count > MaxCount * 16L)
                {
                    return $"{field}: expected at most {MaxCount * 16L:N0} entries, not {list.Count:N0}";
                }
                for (int i = 0; i < list.Count; i++)
                {
                    string element = $"{field}[{i}]";
                    if (list[i] is null)
                    {
                        return $"{element}: expected a value, not null";
                    }
                    if (ElementProblem(list[i]!, element, depth) is { } problem)
                    {
                        return problem;
                    }
                }
                return null;
            default:
                return item.GetType().IsPrimitive || item.GetType().IsEnum ? null : Walk(item, field, depth + 1);
        }
    }

    private static string? ElementProblem(object element, string path, int depth) => element switch
    {
        string text => text.Contains('\0', StringComparison.Ordinal) ? $"{path}: expected text without NUL characters" : null,
        IList nested => Field(nested, path, NestedListProperty, depth + 1),
        _ => Walk(element, path, depth + 1),
    };

    /// <summary>Stands for the declaration of a list inside a list (a comparison's deployments), which is never nullable.</summary>
    private static readonly PropertyInfo NestedListProperty = typeof(ShardFiles.PointPart).GetProperty(nameof(ShardFiles.PointPart.Results))!;
}
