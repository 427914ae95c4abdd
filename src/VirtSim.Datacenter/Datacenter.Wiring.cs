using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter;

public sealed partial class Datacenter
{
    private void BuildHosts()
    {
        var topology = _spec.Topology;
        int total = _spec.HostGroups.Sum(g => g.Count);
        var (hostLink, attach) = topology switch
        {
            TopologySpec.Star star => (star.HostLink, WireStar(star)),
            TopologySpec.LeafSpine fabric => (fabric.HostLink, WireLeafSpine(fabric, total)),
            _ => throw new ArgumentException("Unknown topology."),
        };
        foreach (var group in _spec.HostGroups)
        {
            for (int i = 0; i < group.Count; i++)
            {
                string name = $"{group.Host.Group}-{i}";
                var node = Network.AddNode(name);
                Network.Connect(node, attach(_hosts.Count), hostLink);
                var host = new Host(group.Host, _hosts.Count, name, _fairShare, node);
                _hosts.Add(host);
                _hypervisors.Add(new Hypervisor(host, _sim, _fairShare, Network, _repository, _spec.MemoryScrubRate, Announce));
                _poolsOfHost.Add([]);
            }
        }
    }

    private Func<int, NetworkNode> WireStar(TopologySpec.Star star)
    {
        var core = Network.AddNode("switch");
        Network.Connect(_repository, core, star.RepositoryLink);
        Network.Connect(_registry, core, star.RepositoryLink);
        Network.Connect(_gateway, core, star.GatewayLink);
        return _ => core;
    }

    private Func<int, NetworkNode> WireLeafSpine(TopologySpec.LeafSpine fabric, int hosts)
    {
        var spines = Enumerable.Range(0, fabric.Spines).Select(i => Network.AddNode($"spine-{i}")).ToList();
        NetworkNode Leaf(string name)
        {
            var leaf = Network.AddNode(name);
            foreach (var spine in spines)
            {
                Network.Connect(leaf, spine, fabric.Uplink);
            }
            return leaf;
        }
        var border = Leaf("leaf-border");
        Network.Connect(_repository, border, fabric.RepositoryLink);
        Network.Connect(_registry, border, fabric.RepositoryLink);
        Network.Connect(_gateway, border, fabric.GatewayLink);
        int racks = (hosts + fabric.HostsPerRack - 1) / fabric.HostsPerRack;
        var leaves = Enumerable.Range(0, racks).Select(r => Leaf($"leaf-{r}")).ToList();
        return index => leaves[index / fabric.HostsPerRack];
    }
}
