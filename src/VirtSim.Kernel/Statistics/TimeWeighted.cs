namespace VirtSim.Kernel.Statistics;

/// <summary>
/// The time-weighted average of a piecewise-constant quantity (queue length, busy servers,
/// memory in use): each value counts for as long as it held.
/// </summary>
public sealed class TimeWeighted
{
    private double _area;
    private double _since;
    private double _start;

    /// <summary>Starts tracking at <paramref name="now"/> with <paramref name="initial"/>.</summary>
    public TimeWeighted(double now = 0, double initial = 0)
    {
        _start = _since = now;
        Current = initial;
        Max = initial;
    }

    /// <summary>The value now.</summary>
    public double Current { get; private set; }

    /// <summary>The largest value held since the start.</summary>
    public double Max { get; private set; }

    /// <summary>Records that the value changes to <paramref name="value"/> at <paramref name="now"/>.</summary>
    public void Set(double now, double value)
    {
        Advance(now);
        Current = value;
        if (value > Max)
        {
            Max = value;
        }
    }

    /// <summary>Adds <paramref name="delta"/> to the value at <paramref name="now"/>.</summary>
    public void Add(double now, double delta) => Set(now, Current + delta);

    /// <summary>The average over [start, <paramref name="now"/>] (the current value if no time has passed).</summary>
    public double Mean(double now)
    {
        if (now < _since)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "Time cannot run backwards.");
        }
        double span = now - _start;
        return span > 0 ? (_area + Current * (now - _since)) / span : Current;
    }

    /// <summary>Forgets the history before <paramref name="now"/>, keeping the current value.</summary>
    public void Reset(double now)
    {
        _area = 0;
        _start = _since = now;
        Max = Current;
    }

    private void Advance(double now)
    {
        if (now < _since)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "Time cannot run backwards.");
        }
        _area += Current * (now - _since);
        _since = now;
    }
}
