using System.Text.RegularExpressions;
using VirtSim.Tests.Datacenter;

namespace VirtSim.Tests.Experiments;

/// <summary>The labs of chapter sections 16.1 to 16.7, each run in Jupyter and held to its key.</summary>
public partial class NotebookTests
{
    [GeneratedRegex(@"(\d+) vCPUs per VM: (\S+) hosts used \(by hand (\S+)\); mean response (\S+) ± (\S+) ms, Erlang C (\S+) ms")]
    private static partial Regex ConsolidationPoint();

    [Test]
    public void TheWhyShareLabCountsHostsByHandAndLatencyByErlangC()
    {
        var cells = Execute(Path.Combine("labs", "why-share.ipynb"));
        NoErrorsAndOnePlot(cells);
        var points = ConsolidationPoint().Matches(Text(cells)).ToList();
        Assert.That(points.Select(p => p.Groups[1].Value), Is.EqualTo(new[] { "2", "4", "8" }), Text(cells));
        foreach (Match point in points)
        {
            int vcpus = int.Parse(point.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            double hosts = Math.Ceiling(10.0 / (16 / vcpus));
            Assert.That(Number(point.Groups[2].Value), Is.EqualTo(hosts), "best fit, cores not overcommitted");
            Assert.That(Number(point.Groups[3].Value), Is.EqualTo(hosts));
            // 16/s of 100 ms exponential work, 10% slower under a type-1 hypervisor.
            double theory = QueueingTheory.MmcMeanResponse(vcpus, 16, 1 / 0.11) * 1000;
            Assert.That(Number(point.Groups[6].Value), Is.EqualTo(theory).Within(0.05), "the lab's Erlang C");
            double mean = Number(point.Groups[4].Value), half = Number(point.Groups[5].Value);
            if (16 * 0.11 / vcpus < 0.8)
            {
                // Plus 1 ms for the 20 KB response's network time.
                Assert.That(mean, Is.InRange(theory - half - 0.05, theory + half + 1), point.Value);
            }
            else
            {
                Assert.That(mean, Is.EqualTo(theory).Within(20).Percent, "near saturation, the key's tolerance: " + point.Value);
            }
        }
    }

    [GeneratedRegex(@"victim p99 with the neighbour idle: (\S+) ± (\S+) ms")]
    private static partial Regex VictimAlone();

    [GeneratedRegex(@"neighbour at (\S+)/s: victim p99 (\S+) ± (\S+) ms without limits, (\S+) ± (\S+) ms with limits")]
    private static partial Regex VictimPoint();

    [Test]
    public void TheNoisyNeighboursLabShowsLimitsProtectingTheVictim()
    {
        var cells = Execute(Path.Combine("labs", "noisy-neighbours.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var aloneMatch = VictimAlone().Match(text);
        Assert.That(aloneMatch.Success, text);
        double alone = Number(aloneMatch.Groups[1].Value);
        var points = VictimPoint().Matches(text).ToList();
        Assert.That(points, Has.Count.EqualTo(4), text);
        // The key's stated tolerance: limited within 15% of alone at every rate.
        Assert.That(points.Select(p => Number(p.Groups[4].Value)), Has.All.LessThanOrEqualTo(alone * 1.15), text);
        // And the disk at 93% without limits at the highest rate: at least three times the p99 alone.
        Assert.That(Number(points[^1].Groups[2].Value), Is.GreaterThanOrEqualTo(3 * alone), text);
    }

    [GeneratedRegex(@"(\w+): CPU-bound (\S+) ± (\S+) ms \(by hand (\S+)\), I/O-bound (\S+) ± (\S+) ms \(by hand (\S+)\)")]
    private static partial Regex HypervisorPoint();

    [Test]
    public void TheHypervisorTaxLabHoldsEachPlatformToItsHandComputation()
    {
        var cells = Execute(Path.Combine("labs", "hypervisor-tax.ipynb"));
        NoErrorsAndOnePlot(cells);
        var points = HypervisorPoint().Matches(Text(cells)).ToList();
        Assert.That(points.Select(p => p.Groups[1].Value), Is.EqualTo(new[] { "bare", "type1", "type2", "emulated" }), Text(cells));
        // The simulator's defaults, each with its source there: (CPU efficiency, I/O efficiency).
        var costs = new Dictionary<string, (double Cpu, double Io)>
        {
            ["bare"] = (1, 1), ["type1"] = (1 / 1.10, 0.86), ["type2"] = (0.80, 0.60), ["emulated"] = (1 / 4.1, 0.60),
        };
        foreach (Match point in points)
        {
            var (cpu, io) = costs[point.Groups[1].Value];
            double cpuTheory = 100 / cpu;
            double read = 20e6 / io / 500e6;
            double ioTheory = (0.005 / cpu + read / (1 - 5 * read)) * 1000;
            Assert.That(Number(point.Groups[4].Value), Is.EqualTo(cpuTheory).Within(0.05));
            Assert.That(Number(point.Groups[7].Value), Is.EqualTo(ioTheory).Within(0.05), "M/G/1-PS on the disk, by hand");
            double cpuMean = Number(point.Groups[2].Value), cpuHalf = Number(point.Groups[3].Value);
            Assert.That(cpuMean, Is.InRange(cpuTheory - cpuHalf - 0.05, (cpuTheory + cpuHalf) * 1.01), point.Value);
            double ioMean = Number(point.Groups[5].Value), ioHalf = Number(point.Groups[6].Value);
            Assert.That(ioMean, Is.InRange(ioTheory - ioHalf - 0.05, (ioTheory + ioHalf) * 1.01), point.Value);
        }
    }

    [GeneratedRegex(@"provisioned \(2 GB base \+ 1 GB \+ 30 s\): cold (\S+) s \(by hand (\S+)\), warm (\S+) s \(by hand (\S+)\); hosts (\S+), (\S+)")]
    private static partial Regex ProvisionedStart();

    [GeneratedRegex(@"baked (\S+) GB: cold (\S+) s \(by hand (\S+)\), warm (\S+) s \(by hand (\S+)\); hosts (\S+), (\S+)")]
    private static partial Regex BakedStart();

    [GeneratedRegex(@"break-even baked size on a cold host: (\S+) GB; on a warm host baking saves (\S+) s")]
    private static partial Regex BakeBreakEven();

    [Test]
    public void TheBakeOrProvisionLabTimesEveryStartByHand()
    {
        var cells = Execute(Path.Combine("labs", "bake-or-provision.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        const double Link = 1e9 * 0.35 / 8, Boot = 2 * 1.10 + 1e9 / 0.86 / 500e6 + 20 * 1.10, Provisioning = 1e9 / 0.86 / Link + 30 * 1.10;
        var provisioned = ProvisionedStart().Match(text);
        Assert.That(provisioned.Success, text);
        Assert.That(Number(provisioned.Groups[1].Value), Is.EqualTo(2e9 / Link + Boot + Provisioning).Within(0.01));
        Assert.That(Number(provisioned.Groups[3].Value), Is.EqualTo(Boot + Provisioning).Within(0.01));
        Assert.That(provisioned.Groups[6].Value, Is.EqualTo(provisioned.Groups[5].Value), "the warm VM is on the cold one's host");
        var baked = BakedStart().Matches(text).ToList();
        Assert.That(baked, Has.Count.EqualTo(5), text);
        foreach (Match b in baked)
        {
            double gigabytes = Number(b.Groups[1].Value);
            Assert.That(Number(b.Groups[2].Value), Is.EqualTo(gigabytes * 1e9 / Link + Boot).Within(0.01), b.Value);
            Assert.That(Number(b.Groups[4].Value), Is.EqualTo(Boot).Within(0.01), b.Value);
        }
        var answer = BakeBreakEven().Match(text);
        Assert.That(answer.Success, text);
        Assert.That(Number(answer.Groups[1].Value), Is.EqualTo(2 + (1e9 / 0.86 + 33 * Link) / 1e9).Within(0.001));
        Assert.That(Number(answer.Groups[2].Value), Is.EqualTo(Provisioning).Within(0.01));
    }

    [GeneratedRegex(@"order (A|B), (\w+) changes: each node pulls (\S+) MB \(by hand (\S+) MB\)")]
    private static partial Regex LayerPull();

    [Test]
    public void TheLayersLabPullsTheChangedLayerAndEverythingAboveIt()
    {
        var cells = Execute(Path.Combine("labs", "layers.ipynb"));
        NoErrorsAndOnePlot(cells);
        var sizes = new Dictionary<string, double> { ["debian"] = 50, ["apache"] = 30, ["mysql"] = 200, ["php"] = 40 };
        var orders = new Dictionary<string, string[]> { ["A"] = ["debian", "apache", "mysql", "php"], ["B"] = ["debian", "php", "apache", "mysql"] };
        var pulls = LayerPull().Matches(Text(cells)).ToList();
        Assert.That(pulls, Has.Count.EqualTo(6), Text(cells));
        foreach (Match pull in pulls)
        {
            var order = orders[pull.Groups[1].Value];
            double expected = order.Skip(Array.IndexOf(order, pull.Groups[2].Value)).Sum(l => sizes[l]);
            Assert.That(Number(pull.Groups[3].Value), Is.EqualTo(expected).Within(0.1), pull.Value);
            Assert.That(Number(pull.Groups[4].Value), Is.EqualTo(expected).Within(0.1), pull.Value);
        }
    }

    [GeneratedRegex(@"base (\S+) MB: cold node (\S+) s \(by hand (\S+)\), warm node (\S+) s \(by hand (\S+)\)")]
    private static partial Regex ImageSizePoint();

    [Test]
    public void TheImageSizeLabCostsBytesOnColdNodesOnly()
    {
        var cells = Execute(Path.Combine("labs", "image-size.ipynb"));
        NoErrorsAndOnePlot(cells);
        var points = ImageSizePoint().Matches(Text(cells)).ToList();
        Assert.That(points, Has.Count.EqualTo(5), Text(cells));
        foreach (Match point in points)
        {
            // The image (base + 20 MB) over 1 Gb/s at 35%, unpacked in order at containerd's 100 MB/s, then 0.3 s to start.
            double image = Number(point.Groups[1].Value) + 20;
            double cold = image / 43.75 + image / 100 + 0.3;
            Assert.That(Number(point.Groups[2].Value), Is.EqualTo(cold).Within(0.01), point.Value);
            Assert.That(Number(point.Groups[3].Value), Is.EqualTo(cold).Within(0.01), point.Value);
            Assert.That(Number(point.Groups[4].Value), Is.EqualTo(0.3).Within(0.01), point.Value);
        }
        Assert.That(Text(cells), Does.Contain("each 100 MB of image adds 3.29 s on a cold node"));
    }

    [GeneratedRegex(@"hosts: VMs (\d+) \(by hand (\S+)\), containers (\d+) \(by hand (\S+)\)")]
    private static partial Regex DensityLine();

    [GeneratedRegex(@"start-up: VMs (\S+) s \(by hand (\S+)\), containers (\S+) s \(by hand (\S+)\)")]
    private static partial Regex StartUpLine();

    [GeneratedRegex(@"mean latency: VMs (\S+) ± (\S+) ms \(between (\S+) and (\S+)\), containers (\S+) ± (\S+) ms \(E16/M/1 (\S+)\)")]
    private static partial Regex LatencyLine();

    [Test]
    public void TheContainersOrVmsLabComparesStartUpDensityAndLatencyByHand()
    {
        var cells = Execute(Path.Combine("labs", "containers-or-vms.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var density = DensityLine().Match(text);
        Assert.That(density.Success, text);
        Assert.That(new[] { density.Groups[1].Value, density.Groups[2].Value, density.Groups[3].Value, density.Groups[4].Value }, Is.EqualTo(new[] { "2", "2", "1", "1" }));
        var start = StartUpLine().Match(text);
        Assert.That(start.Success, text);
        double vm = 8e9 / (1.125e9 / 2) + 2.2 + 8 * 1e9 / 0.86 / 500e6 + 22, pod = 300.0 / 1125 + 3 + 0.3;
        Assert.That(Number(start.Groups[1].Value), Is.EqualTo(vm).Within(0.01));
        Assert.That(Number(start.Groups[2].Value), Is.EqualTo(vm).Within(0.01));
        Assert.That(Number(start.Groups[3].Value), Is.EqualTo(pod).Within(0.001));
        Assert.That(Number(start.Groups[4].Value), Is.EqualTo(pod).Within(0.001));
        var latency = LatencyLine().Match(text);
        Assert.That(latency.Success, text);
        // E16/M/1, independently of the lab: k = 16, λ = 5/s, μ = 20/s.
        double container = QueueingTheory.EkM1MeanResponse(16, 5, 20) * 1000;
        Assert.That(Number(latency.Groups[7].Value), Is.EqualTo(container).Within(0.01));
        double containerMean = Number(latency.Groups[5].Value), containerHalf = Number(latency.Groups[6].Value);
        Assert.That(containerMean, Is.InRange(container - containerHalf - 0.01, container + containerHalf + 0.3), "plus the response's network time");
        double vmUpper = QueueingTheory.MmcMeanResponse(2, 5, 1 / 0.055) * 1000;
        Assert.That(Number(latency.Groups[4].Value), Is.EqualTo(vmUpper).Within(0.01));
        double vmMean = Number(latency.Groups[1].Value), vmHalf = Number(latency.Groups[2].Value);
        Assert.That(vmMean, Is.InRange(55 - vmHalf, vmUpper + vmHalf + 0.3), "between the work alone and Erlang C");
    }

    [GeneratedRegex(@"(\S+) Gb/s, reply (\S+) KB: call together (\S+) ± \S+ ms, apart (\S+) ± \S+ ms; network adds (\S+) ms \(by hand (\S+)\)")]
    private static partial Regex CallLine();

    [Test]
    public void ThePodOrNotLabTimesTheNetworkACallCrosses()
    {
        var cells = Execute(Path.Combine("labs", "pod-or-not.ipynb"));
        NoErrorsAndOnePlot(cells);
        var calls = CallLine().Matches(Text(cells)).ToList();
        Assert.That(calls, Has.Count.EqualTo(8), Text(cells));
        foreach (Match call in calls)
        {
            double gigabits = Number(call.Groups[1].Value), bytes = 50e3 + Number(call.Groups[2].Value) * 1e3;
            double together = 2e-3 + 2 * 20e-6 + bytes / 5e9;
            double apart = 2e-3 + 4 * 100e-6 + bytes * 8 / (gigabits * 1e9 * 0.9);
            Assert.That(Number(call.Groups[3].Value), Is.EqualTo(together * 1000).Within(0.005), call.Value);
            Assert.That(Number(call.Groups[4].Value), Is.EqualTo(apart * 1000).Within(0.005), call.Value);
            Assert.That(Number(call.Groups[5].Value), Is.EqualTo((apart - together) * 1000).Within(0.005), call.Value);
            Assert.That(Number(call.Groups[6].Value), Is.EqualTo((apart - together) * 1000).Within(0.005), call.Value);
        }
        var answer = Regex.Match(Text(cells), @"exceeds (\d+) KB");
        // 2 ms = 0.4 ms − 0.04 ms + (50 KB + r)(8 / 0.9e9 − 1 / 5e9) s/B.
        double breakEven = (2e-3 - 0.4e-3 + 0.04e-3) / (8 / 0.9e9 - 1 / 5e9) / 1e3 - 50;
        Assert.That(Number(answer.Groups[1].Value), Is.EqualTo(breakEven).Within(1));
    }
}
