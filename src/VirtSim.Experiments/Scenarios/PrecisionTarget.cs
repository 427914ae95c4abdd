using System.Globalization;

namespace VirtSim.Experiments.Scenarios;

/// <summary>
/// Replications until the named metrics are known to a relative precision (a scenario's
/// <c>precision:</c> section), instead of a fixed number: the sequential procedure for a relative
/// precision of Law (Simulation Modeling and Analysis, 5th ed., §9.4.1). After at least
/// <see cref="Min"/> replications, the run stops once every metric's 95% half-width is at most
/// γ' = γ / (1 + γ) of its mean's magnitude (γ = <see cref="Relative"/>; the correction makes the
/// actual relative error at most γ); otherwise it adds as many replications as the present
/// half-widths say are needed (n·(hw / (γ'·|mean|))², at least one more), up to <see cref="Max"/>.
/// Seeds depend on the replication index alone and each decision on the replications run so far,
/// so the number run, and every result, are the same at any parallelism.
/// </summary>
/// <param name="Metrics">The metrics that must reach the precision, by name (as <c>summary.json</c> names them).</param>
/// <param name="Relative">γ, such as 0.02 for 2%.</param>
/// <param name="Min">Replications run before the first check (at least 2; default 5).</param>
/// <param name="Max">Most replications run (default 200); a run that reaches it without the precision says so.</param>
public sealed record PrecisionTarget(IReadOnlyList<string> Metrics, double Relative, int Min = 5, int Max = 200)
{
    /// <summary>γ' = γ / (1 + γ): the half-width over |mean| the procedure stops at.</summary>
    public double Stop => Relative / (1 + Relative);

    /// <summary>Whether <paramref name="halfWidth"/> and <paramref name="mean"/> meet the target.</summary>
    public bool Met(double mean, double halfWidth) =>
        double.IsFinite(halfWidth) && double.IsFinite(mean) && (halfWidth == 0 || halfWidth <= Stop * Math.Abs(mean));

    /// <summary>Replications the present interval says are needed (at least <paramref name="n"/> + 1, at most <see cref="Max"/>).</summary>
    public int Needed(int n, double mean, double halfWidth)
    {
        if (!double.IsFinite(halfWidth) || !double.IsFinite(mean) || mean == 0)
        {
            return Math.Min(Max, 2 * n);
        }
        double ratio = halfWidth / (Stop * Math.Abs(mean));
        double needed = Math.Ceiling(n * ratio * ratio);
        return (int)Math.Clamp(needed, n + 1, Max);
    }

    /// <summary>Reads a <c>precision:</c> section.</summary>
    internal static PrecisionTarget Read(YamlValue value)
    {
        var p = value.AsSection("metrics", "relative", "min", "max");
        var metricsValue = p.Required("metrics", "[response_time_mean]");
        var metrics = metricsValue.AsList("metric names").Select(m => m.AsText("a metric name")).ToList();
        if (metrics.Count == 0)
        {
            throw metricsValue.Error("expected at least one metric whose interval sets the number of replications");
        }
        var relativeValue = p.Required("relative", "2%");
        string text = relativeValue.AsText("a share such as 2% or 0.02");
        bool percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out double relative)
            || !((relative = percent ? relative / 100 : relative) > 0) || relative >= 1)
        {
            throw relativeValue.Error($"expected a relative precision above 0 and below 100%, such as 2% or 0.02, not '{text}'");
        }
        int min = (int)(p.Optional("min")?.AsInteger(2, 1_000_000) ?? 5);
        int max = (int)(p.Optional("max")?.AsInteger(2, 1_000_000) ?? 200);
        if (max < min)
        {
            throw p.Required("max").Error($"expected max ({max}) to be at least min ({min})");
        }
        return new PrecisionTarget(metrics, relative, min, max);
    }
}
