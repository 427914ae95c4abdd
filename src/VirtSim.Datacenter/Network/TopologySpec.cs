namespace VirtSim.Datacenter.Network;

/// <summary>
/// How hosts, the image repository and the clients' gateway are wired. The container registry
/// sits beside the repository, on a link like the repository's.
/// </summary>
public abstract record TopologySpec
{
    /// <summary>Every host, the repository and the gateway on one central switch.</summary>
    /// <param name="HostLink">Link from each host to the switch.</param>
    /// <param name="RepositoryLink">Link from the image repository to the switch.</param>
    /// <param name="GatewayLink">Link from the clients' gateway to the switch.</param>
    public sealed record Star(LinkSpec HostLink, LinkSpec RepositoryLink, LinkSpec GatewayLink) : TopologySpec;

    /// <summary>
    /// A two-tier fabric: hosts in racks on a leaf switch each, every leaf linked to every spine.
    /// The repository and the gateway sit on a border leaf of their own.
    /// </summary>
    /// <param name="HostsPerRack">Hosts under one leaf switch.</param>
    /// <param name="Spines">Spine switches.</param>
    /// <param name="HostLink">Link from each host to its leaf.</param>
    /// <param name="Uplink">Link from each leaf to each spine.</param>
    /// <param name="RepositoryLink">Link from the repository to the border leaf.</param>
    /// <param name="GatewayLink">Link from the gateway to the border leaf.</param>
    public sealed record LeafSpine(int HostsPerRack, int Spines, LinkSpec HostLink, LinkSpec Uplink,
        LinkSpec RepositoryLink, LinkSpec GatewayLink) : TopologySpec;
}
