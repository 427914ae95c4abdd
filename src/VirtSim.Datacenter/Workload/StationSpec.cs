using VirtSim.Datacenter.Validation;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Workload;

/// <summary>How waiting customers share the servers of a station.</summary>
public enum QueueDiscipline
{
    /// <summary>First come, first served: a customer holds one server from start to end of service.</summary>
    FirstComeFirstServed,

    /// <summary>Processor sharing: all customers in service share the servers equally, none getting more than one.</summary>
    ProcessorSharing,
}

/// <summary>
/// A queueing station: customers arrive, are served by identical servers under a discipline,
/// and leave; with a capacity, arrivals that find it full are lost. The textbook model of a
/// service behind a load balancer, and the yardstick that checks the kernel against theory.
/// </summary>
/// <param name="Servers">Number of identical servers (cores, workers), at least one.</param>
/// <param name="Discipline">How the servers are shared.</param>
/// <param name="Capacity">Most customers in the station (in service plus waiting); null for no limit.</param>
/// <param name="Interarrival">Time between arrivals; exponential makes the arrivals Poisson.</param>
/// <param name="Service">Service time of one customer on one whole server.</param>
public sealed record StationSpec(
    int Servers,
    QueueDiscipline Discipline,
    int? Capacity,
    Distribution Interarrival,
    Distribution Service)
{
    /// <summary>Offered load per server, λ E[S] / c.</summary>
    public double OfferedLoadPerServer => Service.Mean / Interarrival.Mean / Servers;

    /// <summary>Why no such station can be simulated, with paths in a scenario's terms (<c>station.servers</c>, ...); empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Servers < 1)
        {
            yield return new("station.servers", "expected at least one server");
        }
        if (Capacity is { } capacity && capacity < Servers)
        {
            yield return new("station.capacity", $"expected a capacity of at least the number of servers ({Servers})");
        }
    }
}
