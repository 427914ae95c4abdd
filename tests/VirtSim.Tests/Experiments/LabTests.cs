using System.Globalization;
using System.Text.Json;
using VirtSim.Tests.Datacenter;
using System.Text.RegularExpressions;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// The teaching labs (notebooks/labs), run in real Jupyter as a student would, their figures
/// held to the keys (notebooks/keys): theory inside the simulated interval, hand computations exactly.
/// </summary>
public partial class NotebookTests
{
    [GeneratedRegex(@"window (\S+) min, (\S+) calls/h: simulated (\S+) ± (\S+), theory (\S+)")]
    private static partial Regex KeepAlivePoint();

    [GeneratedRegex(@"shortest window for under 5% cold at 12/h: (\S+) min \(theory\); simulated at that window: (\S+) ± (\S+)")]
    private static partial Regex KeepAliveAnswer();

    [GeneratedRegex(@"8 GB over 1 Gb/s at 35%: simulated (\S+) s, by hand (\S+) s")]
    private static partial Regex ImageTransfer();

    private static string Text(IEnumerable<Cell> cells) =>
        string.Concat(cells.SelectMany(c => c.Outputs).Where(o => o.Type == "stream" && o.Name == "stdout").Select(o => o.Text));

    private static void NoErrorsAndOnePlot(List<Cell> cells)
    {
        var outputs = cells.SelectMany(c => c.Outputs).ToList();
        Assert.That(outputs.Where(o => o.Type == "error").Select(o => o.Text), Is.Empty, "no cell failed");
        Assert.That(outputs.SelectMany(o => PngData().Matches(o.Html)).Count(), Is.EqualTo(1), "the lab's plot");
    }

    [Test]
    public void TheKeepAliveLabHoldsItsSimulationToTheoryAndItsKey()
    {
        var cells = Execute(Path.Combine("labs", "keep-alive.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var points = KeepAlivePoint().Matches(text).ToList();
        Assert.That(points, Has.Count.EqualTo(15), text);
        foreach (Match point in points)
        {
            double minutes = Number(point.Groups[1].Value), perHour = Number(point.Groups[2].Value);
            double simulated = Number(point.Groups[3].Value), half = Number(point.Groups[4].Value), theory = Number(point.Groups[5].Value);
            Assert.That(theory, Is.EqualTo(Math.Exp(-perHour / 60 * minutes)).Within(5e-5), "e^(-λT), by hand");
            // e^(-λT), plus at most the calls that find the one instance busy (0.6 s at most):
            // 1 - e^(-λ·0.6 s), and the key's stated tolerance of 0.01: with 15 points of five
            // replications one may fall outside its 95% interval (30 calls/h, 1 min: 0.6146 ± 0.0027
            // against 0.6065; twenty replications of another seed give 0.6066 ± 0.0028).
            double busy = 1 - Math.Exp(-perHour / 3600 * 0.6);
            Assert.That(simulated, Is.InRange(theory - half - 1e-4, theory + half + busy + 0.01), point.Value);
        }
        // The key: ln(1/0.05) / (12/h) = 2.9957 / 0.2 per min = 14.98 min, and the simulator agrees within its interval.
        var answer = KeepAliveAnswer().Match(text);
        Assert.That(answer.Success, text);
        Assert.That(Number(answer.Groups[1].Value), Is.EqualTo(Math.Log(20) / 0.2).Within(0.005));
        double share = Number(answer.Groups[2].Value), halfWidth = Number(answer.Groups[3].Value);
        Assert.That(Math.Abs(share - 0.05), Is.LessThanOrEqualTo(halfWidth), "the limit lies inside the simulated interval at that window");
    }

    [Test]
    public void TheMovingImagesLabGivesTheChaptersThreeMinutes()
    {
        var cells = Execute(Path.Combine("labs", "moving-images.ipynb"));
        NoErrorsAndOnePlot(cells);
        var match = ImageTransfer().Match(Text(cells));
        Assert.That(match.Success, Text(cells));
        // The chapter: 8e9 B × 8 bit / (1e9 bit/s × 0.35) = 182.86 s; the model adds 100 µs of latency.
        Assert.That(Number(match.Groups[2].Value), Is.EqualTo(8e9 * 8 / 0.35e9).Within(0.005));
        Assert.That(Number(match.Groups[1].Value), Is.EqualTo(8e9 * 8 / 0.35e9).Within(0.005));
    }

    [Test]
    public void EveryLabHasAKeyAndALineInTheIndex()
    {
        string notebooks = Path.Combine(Repository.Root, "notebooks");
        string index = File.ReadAllText(Path.Combine(notebooks, "README.md"));
        foreach (string lab in Directory.GetFiles(Path.Combine(notebooks, "labs"), "*.ipynb"))
        {
            string name = Path.GetFileNameWithoutExtension(lab);
            Assert.That(File.Exists(Path.Combine(notebooks, "keys", name + ".md")), $"keys/{name}.md");
            Assert.That(index, Does.Contain($"labs/{name}.ipynb"));
        }
    }

    [Test]
    public void ANotebooksMistakesAreOneLineEach()
    {
        // A student's three usual mistakes, in a notebook beside the labs: a metric the run did
        // not measure, a setting of the wrong kind, a file that is not there.
        string labs = Path.Combine(Repository.Root, "notebooks", "labs");
        string notebook = Path.Combine(labs, $"mistakes-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(notebook, NotebookOf(
            "#load \"setup.csx\"",
            "#r \"nuget: VirtSim.Experiments, *-*\"\nusing VirtSim.Datacenter.Metrics;\nusing VirtSim.Experiments.Api;\nvar run = Scenarios.Load(\"../../scenarios/examples/mm1.yaml\", \"duration=10min\", \"replications=2\").Run();",
            "run.Interval(MetricCatalogue.ServiceResponseMean.Of(\"shop\"))",
            "Scenarios.Load(\"../../scenarios/examples/mm1.yaml\", \"station.servers=lots\")",
            "Scenarios.Load(\"../../scenarios/examples/no-such.yaml\")"));
        try
        {
            var errors = Execute(notebook, labs, allowErrors: true).Select(c => c.Outputs.SingleOrDefault(o => o.Type == "error")?.Text).ToList();
            Assert.That(errors[0], Is.Null, "the pack is there");
            Assert.That(errors[1], Is.Null);
            Assert.That(errors.Skip(2), Has.All.Not.Null.And.All.Not.Contain("\n").And.All.Not.Contain(" at "), string.Join("\n---\n", errors));
            Assert.That(errors[2], Does.StartWith("the run did not measure shop.response_time_mean (it measured "));
            Assert.That(errors[3], Does.Match(@"mm1\.yaml.*station\.servers").And.Contain("lots"));
            Assert.That(errors[4], Does.Contain("no-such.yaml"));
        }
        finally
        {
            File.Delete(notebook);
        }
    }

    [Test]
    public void ANotebookOpenedBeforeThePackSaysToRunIt()
    {
        // A clone with the notebooks and the kernel's tool manifest but no artifacts/: the first
        // cell says what to run, in one line.
        string clone = Path.Combine(Path.GetTempPath(), $"virtsim-unpacked-{Guid.NewGuid():N}");
        string labs = Path.Combine(clone, "notebooks", "labs");
        Directory.CreateDirectory(labs);
        File.WriteAllText(Path.Combine(clone, "Simulator.sln"), "");
        File.Copy(Path.Combine(Repository.Root, "dotnet-tools.json"), Path.Combine(clone, "dotnet-tools.json"));
        File.Copy(Path.Combine(Repository.Root, "notebooks", "labs", "setup.csx"), Path.Combine(labs, "setup.csx"));
        File.WriteAllText(Path.Combine(labs, "lab.ipynb"), NotebookOf("#load \"setup.csx\"", "#r \"nuget: VirtSim.Experiments, *-*\""));
        try
        {
            var cells = Execute("lab.ipynb", labs, allowErrors: true);
            var error = cells[0].Outputs.Single(o => o.Type == "error").Text;
            Assert.That(error, Is.EqualTo("VirtSim is not packed yet: run scripts/pack from the repository's root (see notebooks/README.md), then run the notebook again."));
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    /// <summary>A notebook of these code cells, for the .NET (C#) kernel.</summary>
    private static string NotebookOf(params string[] cells) => JsonSerializer.Serialize(new
    {
        cells = cells.Select((source, i) => new { cell_type = "code", execution_count = (int?)null, id = $"cell-{i}", metadata = new { }, outputs = Array.Empty<object>(), source }),
        metadata = new { kernelspec = new { display_name = ".NET (C#)", language = "C#", name = ".net-csharp" }, language_info = new { name = "C#" } },
        nbformat = 4,
        nbformat_minor = 5,
    }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Test]
    public void TheProviderLimitsLabHoldsEachLimitToItsTheory()
    {
        var cells = Execute(Path.Combine("labs", "provider-limits.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        void Within(string pattern, double theory)
        {
            var match = Regex.Match(text, pattern);
            Assert.That(match.Success, pattern + "\n" + text);
            double mean = Number(match.Groups[1].Value), half = Number(match.Groups[2].Value);
            Assert.That(mean, Is.InRange(theory - half - 1e-4, theory + half + 1e-4), match.Value);
        }
        // Exponential run times of mean 4 s against the limit L: e^(-L/4).
        Within(@"time limit 5 s: killed (\S+) ± (\S+)", Math.Exp(-5 / 4.0));
        Within(@"15 s: killed (\S+) ± (\S+)", Math.Exp(-15 / 4.0));
        // The loss system M/G/c/c with 6/s × 2 s = 12 erlangs offered.
        Within(@"concurrency 10: throttled (\S+) ± (\S+)", QueueingTheory.ErlangB(10, 12));
        Within(@"20: throttled (\S+) ± (\S+)", QueueingTheory.ErlangB(20, 12));
        // Keep-alive windows against Poisson gaps: e^(-λT).
        Within(@"against on demand (\S+) ± (\S+)", Math.Exp(-6.0 / 60 * 5));
        Within(@"against unpinged (\S+) ± (\S+)", Math.Exp(-1.0 / 60 * 10));
        Assert.That(Number(Regex.Match(text, @"provisioned 2: cold (\S+)").Groups[1].Value), Is.LessThan(0.001));
        Assert.That(Number(Regex.Match(text, @"pings every 5 min: cold (\S+)").Groups[1].Value), Is.LessThan(0.001));
        // Two provisioned instances of 512 MiB for a day at $0.0000041667 per GB-second, plus their calls.
        double provisionedBill = Number(Regex.Match(text, @"provisioned 2: .*bill per day (\S+) USD").Groups[1].Value);
        Assert.That(provisionedBill, Is.EqualTo(2 * 0.5 * 86400 * 0.0000041667).Within(0.002));
    }

    [GeneratedRegex(@"(\w+) at (\S+)/s: (\S+) ± (\S+) USD/h(?: \(by hand (\S+)\))?, p99 (\S+) ± (\S+) ms")]
    private static partial Regex CostLine();

    [Test]
    public void ThePayPerUseLabFindsWhereFunctionsStopPayingOff()
    {
        var cells = Execute(Path.Combine("labs", "pay-per-use.ipynb"));
        var outputs = cells.SelectMany(c => c.Outputs).ToList();
        Assert.That(outputs.Where(o => o.Type == "error").Select(o => o.Text), Is.Empty);
        Assert.That(outputs.SelectMany(o => PngData().Matches(o.Html)).Count(), Is.EqualTo(2), "cost and latency");
        string text = Text(cells);
        var lines = CostLine().Matches(text).ToList();
        Assert.That(lines, Has.Count.EqualTo(15), text);
        // Billed: 25 ms exponential plus 0.267 ms of response, rounded up to 1 ms, at 3 GB.
        double d = 20e3 / 75e6 * 1000, billed = 0.001 * (1 + Math.Exp(d / 25) * Math.Exp(-1 / 25.0) / (1 - Math.Exp(-1 / 25.0)));
        double perCallPerSecond = 3600 * (3 * billed * 0.0000166667 + 0.20 / 1e6);
        foreach (Match line in lines)
        {
            double rate = Number(line.Groups[2].Value), cost = Number(line.Groups[3].Value), half = Number(line.Groups[4].Value);
            if (line.Groups[1].Value == "functions")
            {
                double theory = rate * perCallPerSecond;
                Assert.That(Number(line.Groups[5].Value), Is.EqualTo(theory).Within(0.0005), line.Value);
                Assert.That(cost, Is.InRange(theory - half - 0.0005, (theory + half) * 1.01 + 0.0005), line.Value);
                // Every call has its own instance: the p99 of 25 ms exponential work, 25 ln 100 ms, plus the response.
                double p99 = 25 * Math.Log(100) + d, p99Half = Number(line.Groups[7].Value);
                Assert.That(Number(line.Groups[6].Value), Is.InRange(p99 * 0.995 - p99Half, p99 * 1.005 + p99Half), line.Value);
            }
            else
            {
                Assert.That(cost, Is.EqualTo(0.80).Within(1e-3), "one host at $0.80/h: " + line.Value);
            }
        }
        double breakEven = Number(Regex.Match(text, @"host at (\S+) requests/s").Groups[1].Value);
        Assert.That(breakEven, Is.EqualTo(0.80 / perCallPerSecond).Within(0.2));
    }

    [GeneratedRegex(@"(\S+) requests/s: mean on the device (\S+) ± (\S+) ms \(theory (\S+)\), emulated (\S+) ± (\S+) ms \(theory (\S+)\)")]
    private static partial Regex EmulatedPoint();

    [Test]
    public void TheEmbeddedLabHoldsTheDeviceAndTheEmulatorToMm1()
    {
        var cells = Execute(Path.Combine("labs", "embedded.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var points = EmulatedPoint().Matches(text).ToList();
        Assert.That(points, Has.Count.EqualTo(5), text);
        foreach (Match point in points)
        {
            double rate = Number(point.Groups[1].Value);
            // M/M/1 with processor sharing: mean response 1 / (μ − λ); the emulator's work is 4.1 times slower.
            double device = 1000 / (200 - rate), emulated = 1000 / (200 / 4.1 - rate);
            Assert.That(Number(point.Groups[4].Value), Is.EqualTo(device).Within(0.001));
            Assert.That(Number(point.Groups[7].Value), Is.EqualTo(emulated).Within(0.01));
            double mean = Number(point.Groups[2].Value), half = Number(point.Groups[3].Value);
            Assert.That(mean, Is.InRange(device - half - 0.001, device + half + 0.05), point.Value);
            mean = Number(point.Groups[5].Value);
            half = Number(point.Groups[6].Value);
            Assert.That(mean, Is.InRange(emulated - half - 0.01, emulated + half + 0.05), point.Value);
        }
        Assert.That(text, Does.Contain("highest rate meeting the budget: 100.0/s on the device, none"));
    }

    [GeneratedRegex(@"(\S+) GiB memory, (\S+) GB disk: wipe (\S+) s \(by hand (\S+)\), next tenant placed (\S+) s after")]
    private static partial Regex WipeLine();

    [Test]
    public void TheIsolationOverTimeLabMakesTheNextTenantWaitForTheWipe()
    {
        var cells = Execute(Path.Combine("labs", "isolation-over-time.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var wipes = WipeLine().Matches(text).ToList();
        Assert.That(wipes, Has.Count.EqualTo(8), text);
        foreach (Match wipe in wipes)
        {
            // Memory zeroed at 10 GB/s, the disk overwritten at 500 MB/s.
            double expected = Number(wipe.Groups[1].Value) * Math.Pow(2, 30) / 10e9 + Number(wipe.Groups[2].Value) * 1e9 / 500e6;
            Assert.That(Number(wipe.Groups[3].Value), Is.EqualTo(expected).Within(0.01), wipe.Value);
            Assert.That(Number(wipe.Groups[4].Value), Is.EqualTo(expected).Within(0.01), wipe.Value);
            Assert.That(Number(wipe.Groups[5].Value), Is.EqualTo(expected).Within(0.01), "the next tenant waits for the wipe: " + wipe.Value);
        }
        double share = 32 * Math.Pow(2, 30) / 10e9 + 200;
        Assert.That(text, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"spends {share / (600 + share):P1} of its time wiping")));
    }

    [Test]
    public void TheSaferContainersLabCountsWhatIsolationCosts()
    {
        var cells = Execute(Path.Combine("labs", "safer-containers.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        // 15 one-core pods fit a 16-core host; five 4-vCPU VMs need two (four per host).
        Assert.That(text, Does.Contain("hosts: shared 1 (by hand 1), isolated 2 (by hand 2); cost 0.80 against 1.60 USD/h"));
        var start = Regex.Match(text, @"pod start-up: shared (\S+) s, isolated (\S+) s");
        Assert.That(Number(start.Groups[2].Value) - Number(start.Groups[1].Value), Is.GreaterThanOrEqualTo(2 * 1.10 + 20 * 1.10), "the engine VM boots first");
        var latency = Regex.Match(text, @"mean latency: shared (\S+) ms \(E3/M/1 (\S+)\), isolated (\S+) ms \(E3/M/1 (\S+)\)");
        Assert.That(latency.Success, text);
        foreach (var (index, mu) in new[] { (1, 40.0), (3, 40 / 1.10) })
        {
            double theory = QueueingTheory.EkM1MeanResponse(3, 40 / 3.0, mu) * 1000;
            Assert.That(Number(latency.Groups[index + 1].Value), Is.EqualTo(theory).Within(0.01));
            Assert.That(Number(latency.Groups[index].Value), Is.EqualTo(theory).Within(2).Percent, "the key's tolerance");
        }
    }

    [GeneratedRegex(@"(linux|windows)-(x86_64|arm64) as a (vm|pod) on (\S+): (starts in (\S+) s|refused: .+)")]
    private static partial Regex PortabilityCell();

    [Test]
    public void ThePortabilityLabFollowsTheRulesOfKernelsAndInstructionSets()
    {
        var cells = Execute(Path.Combine("labs", "portability.ipynb"));
        NoErrorsAndOnePlot(cells);
        var targets = new Dictionary<string, (string Isa, string? Kernel, bool Emulator)>
        {
            ["x86-vm"] = ("x86_64", null, false), ["arm-vm"] = ("arm64", null, false), ["x86-emulator"] = ("x86_64", null, true),
            ["x86-linux"] = ("x86_64", "linux", false), ["arm-linux"] = ("arm64", "linux", false), ["x86-windows"] = ("x86_64", "windows", false),
        };
        var outcomes = PortabilityCell().Matches(Text(cells)).ToList();
        Assert.That(outcomes, Has.Count.EqualTo(18), Text(cells));
        foreach (Match cell in outcomes)
        {
            string kernel = cell.Groups[1].Value, isa = cell.Groups[2].Value, kind = cell.Groups[3].Value;
            var target = targets[cell.Groups[4].Value];
            bool runs = kind == "vm" ? target.Emulator || target.Isa == isa : target.Kernel == kernel && target.Isa == isa;
            Assert.That(cell.Groups[5].Value.StartsWith("starts", StringComparison.Ordinal), Is.EqualTo(runs), cell.Value);
            if (runs)
            {
                double expected = kind == "pod"
                    ? (kernel == "windows" ? 140 : 70) * (1 / 1125.0 + 1 / 100.0) + 0.3
                    : target.Emulator ? 2e9 / 1.125e9 + 2 * 4.1 + 1e9 / 0.60 / 500e6 + 20 * 4.1 : 2e9 / 1.125e9 + 2 * 1.10 + 1e9 / 0.86 / 500e6 + 20 * 1.10;
                Assert.That(Number(cell.Groups[6].Value), Is.EqualTo(expected).Within(0.01), cell.Value);
            }
        }
    }

    [Test]
    public void TheErrorsAvoidedLabSortsEachMistake()
    {
        var cells = Execute(Path.Combine("labs", "errors-avoided.ipynb"));
        NoErrorsAndOnePlot(cells);
        string text = Text(cells);
        var expected = new Dictionary<string, (string Vm, string Pod)>
        {
            ["image for another kernel"] = ("harmless here", "refused"),
            ["image for another instruction set"] = ("refused", "refused"),
            ["two processes on one port"] = ("not checked", "refused"),
            ["two replicas on one host port, one node"] = ("harmless here", "refused"),
            ["larger than any machine"] = ("refused", "refused"),
        };
        foreach (var (mistake, (vm, pod)) in expected)
        {
            var line = Regex.Match(text, "^" + Regex.Escape(mistake) + @": as a VM, ([^:]+):.*; as a pod, ([^:]+):", RegexOptions.Multiline);
            Assert.That(line.Success, mistake + "\n" + text);
            Assert.That((line.Groups[1].Value, line.Groups[2].Value), Is.EqualTo((vm, pod)), line.Value);
        }
    }
}
