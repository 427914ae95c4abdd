namespace VirtSim.Kernel;

/// <summary>
/// Something the simulation can wake at a scheduled time: a process, a timer, the fair-share
/// engine. A wake carries the sequence number it was scheduled with, so a target that has
/// rescheduled or cancelled simply ignores the stale wake (lazy cancellation, no heap search).
/// </summary>
public abstract class Wakeable
{
    /// <summary>Called when an event scheduled for this target comes due.</summary>
    /// <param name="seq">The sequence number returned when the event was scheduled.</param>
    protected internal abstract void Wake(long seq);
}
