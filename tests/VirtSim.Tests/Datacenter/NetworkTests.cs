using VirtSim.Datacenter.Network;
using VirtSim.Kernel;
using VirtSim.Kernel.FairSharing;
using VirtSim.Kernel.Processes;

namespace VirtSim.Tests.Datacenter;

public class NetworkTests
{
    private static (Simulation Sim, DatacenterNetwork Net, NetworkNode A, NetworkNode B) TwoNodes(LinkSpec link)
    {
        var sim = new Simulation();
        var net = new DatacenterNetwork(new FairShare(sim));
        var a = net.AddNode("a");
        var b = net.AddNode("b");
        net.Connect(a, b, link);
        return (sim, net, a, b);
    }

    private static List<double> RunTransfers(Simulation sim, DatacenterNetwork net, NetworkNode from, NetworkNode to, params double[] sizes)
    {
        var ends = new List<double>();
        IEnumerable<Await> Move(double bytes)
        {
            foreach (var step in net.Transfer(from, to, bytes))
            {
                yield return step;
            }
            ends.Add(sim.Now);
        }
        foreach (double size in sizes)
        {
            sim.Start(Move(size));
        }
        sim.Run();
        return ends;
    }

    [Test]
    public void ALoneTransferTakesItsSizeOverBandwidthTimesEfficiencyPlusLatency()
    {
        // 1 GB over 1 Gb/s at 80% efficiency: 8e9 bits / 0.8e9 bits/s = 10 s, plus 5 ms latency.
        var (sim, net, a, b) = TwoNodes(Build.Link(1e9, efficiency: 0.8, latency: 0.005));
        var ends = RunTransfers(sim, net, a, b, 1e9);
        Assert.That(ends.Single(), Is.EqualTo(10.005).Within(1e-9));
    }

    [Test]
    public void TwoTransfersSharingALinkTakeTwiceAsLong()
    {
        var (sim, net, a, b) = TwoNodes(Build.Link(1e9, efficiency: 0.8));
        var ends = RunTransfers(sim, net, a, b, 1e9, 1e9);
        Assert.That(ends, Is.EqualTo(new[] { 20.0, 20.0 }).Within(1e-9));
    }

    [Test]
    public void TransfersInOppositeDirectionsDoNotShareAFullDuplexLink()
    {
        var (sim, net, a, b) = TwoNodes(Build.Link(1e9, efficiency: 0.8));
        var ends = new List<double>();
        IEnumerable<Await> Move(NetworkNode from, NetworkNode to)
        {
            foreach (var step in net.Transfer(from, to, 1e9))
            {
                yield return step;
            }
            ends.Add(sim.Now);
        }
        sim.Start(Move(a, b));
        sim.Start(Move(b, a));
        sim.Run();
        Assert.That(ends, Is.EqualTo(new[] { 10.0, 10.0 }).Within(1e-9));
    }

    [Test]
    public void TheChaptersEightGigabyteImageTakesSixtyFourSecondsInTheoryAndOverThreeMinutesAtThirtyFivePercent()
    {
        var (ideal, idealNet, a, b) = TwoNodes(Build.Link(1e9, efficiency: 1.0));
        Assert.That(RunTransfers(ideal, idealNet, a, b, 8e9).Single(), Is.EqualTo(64).Within(1e-9));
        var (real, realNet, c, d) = TwoNodes(Build.Link(1e9, efficiency: 0.35));
        double seconds = RunTransfers(real, realNet, c, d, 8e9).Single();
        Assert.That(seconds, Is.EqualTo(64 / 0.35).Within(1e-9));
        Assert.That(seconds, Is.GreaterThan(180));
    }

    [Test]
    public void ALeafSpineRouteCrossesLeafSpineLeafAndSpreadsOverTheSpines()
    {
        var sim = new Simulation();
        var net = new DatacenterNetwork(new FairShare(sim));
        var spines = Enumerable.Range(0, 4).Select(i => net.AddNode($"spine-{i}")).ToList();
        var leaves = Enumerable.Range(0, 2).Select(i => net.AddNode($"leaf-{i}")).ToList();
        foreach (var leaf in leaves)
        {
            foreach (var spine in spines)
            {
                net.Connect(leaf, spine, Build.Link());
            }
        }
        var left = Enumerable.Range(0, 40).Select(i => net.AddNode($"l{i}")).ToList();
        var right = Enumerable.Range(0, 40).Select(i => net.AddNode($"r{i}")).ToList();
        left.ForEach(h => net.Connect(h, leaves[0], Build.Link()));
        right.ForEach(h => net.Connect(h, leaves[1], Build.Link()));
        var routes = left.Zip(right, net.RouteBetween).ToList();
        Assert.That(routes.Select(r => r.Links.Length), Is.All.EqualTo(4));
        var spinesUsed = routes.Select(r => r.Links[1].To.Name).Distinct().Count();
        Assert.That(spinesUsed, Is.EqualTo(4), "40 flows over 4 equal-cost spines use them all");
        Assert.That(net.RouteBetween(left[3], right[3]), Is.SameAs(routes[3]), "a pair keeps its route");
    }
}
