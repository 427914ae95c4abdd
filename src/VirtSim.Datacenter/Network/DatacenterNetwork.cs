using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Datacenter.Network;

/// <summary>A switch, a host's network interface, an image repository, the clients' gateway.</summary>
public sealed class NetworkNode
{
    internal readonly List<DirectedLink> Out = [];

    internal NetworkNode(string name, int id)
    {
        Name = name;
        Id = id;
    }

    /// <summary>Name for messages.</summary>
    public string Name { get; }

    internal int Id { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>One direction of a full-duplex link: a shared capacity of payload bytes per second.</summary>
public sealed class DirectedLink
{
    internal DirectedLink(NetworkNode from, NetworkNode to, LinkSpec spec, SharedResource resource)
    {
        From = from;
        To = to;
        Spec = spec;
        Resource = resource;
    }

    /// <summary>Where the link starts.</summary>
    public NetworkNode From { get; }

    /// <summary>Where the link ends.</summary>
    public NetworkNode To { get; }

    /// <summary>Bandwidth, latency, efficiency.</summary>
    public LinkSpec Spec { get; }

    /// <summary>The payload capacity that transfers share.</summary>
    public SharedResource Resource { get; }
}

/// <summary>The links a transfer crosses, in order, and their summed latency.</summary>
public sealed record Route(DirectedLink[] Links, double Latency);

/// <summary>
/// The datacenter network: nodes joined by full-duplex links. A transfer is an activity of the
/// fair-share engine that uses every link of its route, so concurrent transfers share each link
/// max-min fairly. Routes are shortest paths in hops; where several exist (a leaf-spine fabric),
/// one is chosen per source and destination by a fixed hash, as equal-cost multi-path routing does.
/// </summary>
public sealed class DatacenterNetwork
{
    private readonly List<NetworkNode> _nodes = [];
    private readonly Dictionary<string, NetworkNode> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(int From, int To), Route> _routes = [];
    private readonly Dictionary<int, int[]> _hopsTo = [];

    /// <summary>Creates an empty network whose transfers run on <paramref name="fairShare"/>.</summary>
    public DatacenterNetwork(FairShare fairShare) =>
        FairShare = fairShare ?? throw new ArgumentNullException(nameof(fairShare));

    /// <summary>The engine that shares link capacity.</summary>
    public FairShare FairShare { get; }

    private Simulation Simulation => FairShare.Simulation;

    /// <summary>Payload bytes delivered by finished transfers.</summary>
    public double BytesDelivered { get; private set; }

    /// <summary>Adds a node.</summary>
    public NetworkNode AddNode(string name)
    {
        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"A node named '{name}' exists already.", nameof(name));
        }
        var node = new NetworkNode(name, _nodes.Count);
        _nodes.Add(node);
        _byName.Add(name, node);
        return node;
    }

    /// <summary>The node called <paramref name="name"/>.</summary>
    public NetworkNode Node(string name) => _byName[name];

    /// <summary>Joins two nodes with a full-duplex link: one shared capacity each way.</summary>
    public void Connect(NetworkNode a, NetworkNode b, LinkSpec spec)
    {
        if (!(spec.Bandwidth > 0 && spec.Efficiency > 0 && spec.Efficiency <= 1 && spec.Latency >= 0))
        {
            throw new ArgumentException("A link needs a positive bandwidth, an efficiency in (0, 1] and a latency of zero or more.", nameof(spec));
        }
        a.Out.Add(new DirectedLink(a, b, spec, FairShare.AddResource(spec.PayloadRate, $"{a.Name}->{b.Name}")));
        b.Out.Add(new DirectedLink(b, a, spec, FairShare.AddResource(spec.PayloadRate, $"{b.Name}->{a.Name}")));
        _routes.Clear();
        _hopsTo.Clear();
    }

    /// <summary>The route from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <remarks>
    /// A node with a single link (a host, the repository, the gateway) can only be left or
    /// reached through it, so those links are peeled off both ends first; the search for the
    /// shortest paths then runs between switches only, and its result, the hops to one switch
    /// from every node, is kept per switch. In a star or leaf-spine fabric every route to or
    /// from the repository and the gateway shares one such search, whatever the number of hosts.
    /// </remarks>
    public Route RouteBetween(NetworkNode from, NetworkNode to)
    {
        if (_routes.TryGetValue((from.Id, to.Id), out var cached))
        {
            return cached;
        }
        var head = new List<DirectedLink>();
        var a = from;
        while (a.Out.Count == 1 && !ReferenceEquals(a, to))
        {
            head.Add(a.Out[0]);
            a = a.Out[0].To;
        }
        var tail = new List<DirectedLink>();
        var b = to;
        while (b.Out.Count == 1 && !ReferenceEquals(b, a))
        {
            var neighbour = b.Out[0].To;
            tail.Add(neighbour.Out.First(l => ReferenceEquals(l.To, b)));
            b = neighbour;
        }
        var core = CoreRoute(a, b, Mix(from.Id, to.Id, 0));
        tail.Reverse();
        DirectedLink[] links = [.. head, .. core, .. tail];
        var route = new Route(links, links.Sum(l => l.Spec.Latency));
        _routes[(from.Id, to.Id)] = route;
        return route;
    }

    private List<DirectedLink> CoreRoute(NetworkNode a, NetworkNode b, ulong salt)
    {
        var links = new List<DirectedLink>();
        if (ReferenceEquals(a, b))
        {
            return links;
        }
        var candidates = new List<DirectedLink>(4);
        if (_hopsTo.TryGetValue(a.Id, out var hopsToA) && !_hopsTo.ContainsKey(b.Id))
        {
            // Walk back from b towards a, then reverse.
            if (hopsToA[b.Id] < 0)
            {
                throw new InvalidOperationException($"No route from {a} to {b}.");
            }
            var node = b;
            while (!ReferenceEquals(node, a))
            {
                candidates.Clear();
                foreach (var back in node.Out)
                {
                    if (hopsToA[back.To.Id] == hopsToA[node.Id] - 1)
                    {
                        candidates.Add(back.To.Out.First(l => ReferenceEquals(l.To, node)));
                    }
                }
                var chosen = candidates[(int)(Mix((int)salt, node.Id, 1) % (ulong)candidates.Count)];
                links.Add(chosen);
                node = chosen.From;
            }
            links.Reverse();
            return links;
        }
        var hops = HopsTo(b);
        if (hops[a.Id] < 0)
        {
            throw new InvalidOperationException($"No route from {a} to {b}.");
        }
        var at = a;
        while (!ReferenceEquals(at, b))
        {
            candidates.Clear();
            foreach (var link in at.Out)
            {
                if (hops[link.To.Id] == hops[at.Id] - 1)
                {
                    candidates.Add(link);
                }
            }
            var chosen = candidates[(int)(Mix((int)salt, at.Id, 2) % (ulong)candidates.Count)];
            links.Add(chosen);
            at = chosen.To;
        }
        return links;
    }

    /// <summary>
    /// Moves <paramref name="bytes"/> from <paramref name="from"/> to <paramref name="to"/>: the route's
    /// latency, then the payload through every link at the fair-shared rate. The first and last
    /// links are used with weights <paramref name="weightAtSource"/> and
    /// <paramref name="weightAtDestination"/>: above 1 where a guest's bytes pass through a
    /// hypervisor's I/O path, which makes each byte cost more of the host's interface.
    /// </summary>
    /// <remarks><paramref name="alsoUses"/> is one more capacity the bytes count against, such as a VM's network limit.</remarks>
    public IEnumerable<Await> Transfer(NetworkNode from, NetworkNode to, double bytes,
        double weightAtSource = 1, double weightAtDestination = 1, SharedResource? alsoUses = null)
    {
        if (ReferenceEquals(from, to) || bytes <= 0)
        {
            yield break;
        }
        var route = RouteBetween(from, to);
        if (route.Latency > 0)
        {
            yield return Simulation.Delay(route.Latency);
        }
        var activity = FairShare.CreateActivity();
        int last = route.Links.Length - 1;
        for (int i = 0; i <= last; i++)
        {
            double weight = (i == 0 ? weightAtSource : 1) * (i == last ? weightAtDestination : 1);
            activity.Uses(route.Links[i].Resource, weight);
        }
        if (alsoUses is not null)
        {
            activity.Uses(alsoUses);
        }
        yield return activity.Run(bytes);
        BytesDelivered += bytes;
    }

    private int[] HopsTo(NetworkNode destination)
    {
        if (_hopsTo.TryGetValue(destination.Id, out var known))
        {
            return known;
        }
        // Links come in pairs, so hops to the destination are hops from it.
        var hops = new int[_nodes.Count];
        Array.Fill(hops, -1);
        var queue = new Queue<NetworkNode>();
        hops[destination.Id] = 0;
        queue.Enqueue(destination);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var link in node.Out)
            {
                if (hops[link.To.Id] < 0)
                {
                    hops[link.To.Id] = hops[node.Id] + 1;
                    queue.Enqueue(link.To);
                }
            }
        }
        _hopsTo[destination.Id] = hops;
        return hops;
    }

    private static ulong Mix(int a, int b, int c)
    {
        ulong x = ((ulong)(uint)a << 32) ^ (ulong)(uint)b ^ ((ulong)(uint)c * 0x9E3779B97F4A7C15UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
