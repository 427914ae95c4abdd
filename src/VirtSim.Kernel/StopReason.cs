namespace VirtSim.Kernel;

/// <summary>Why <see cref="Simulation.Run(double, long, CancellationToken)"/> returned.</summary>
public enum StopReason
{
    /// <summary>No events were left.</summary>
    NoMoreEvents,
    /// <summary>The next event lies after the requested end time; the clock was set to that time.</summary>
    TimeReached,
    /// <summary>The requested number of events was processed.</summary>
    EventLimitReached,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled,
    /// <summary>A model called <see cref="Simulation.Stop"/>.</summary>
    Stopped,
}
