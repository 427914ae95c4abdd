namespace VirtSim.Datacenter.Network;

/// <summary>A network link's nominal bandwidth, latency and efficiency.</summary>
/// <param name="Bandwidth">Nominal bandwidth, in bytes per second (a scenario writes 1Gbps).</param>
/// <param name="Latency">One-way latency, in seconds.</param>
/// <param name="Efficiency">
/// Share of the nominal bandwidth that carries payload, in (0, 1]: protocol headers,
/// acknowledgements, congestion control and retransmissions take the rest. The chapter puts a
/// real 1 Gb/s network at about 35%.
/// </param>
public sealed record LinkSpec(double Bandwidth, double Latency, double Efficiency)
{
    /// <summary>The payload rate the link carries, in bytes per second.</summary>
    public double PayloadRate => Bandwidth * Efficiency;
}
