using VirtSim.Datacenter.Metrics;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Kernel.Statistics;

namespace VirtSim.Tests.Experiments;

/// <summary>Numbers for people: the unit chosen by size, the digits by the interval, percentiles no sharper than their sketch.</summary>
public class ReadableTests
{
    private static string Show(double mean, double half, string unit, string metric = "x")
    {
        var cell = Readable.Format(new ConfidenceInterval(mean, half, 5, 0.95), unit, metric);
        return $"{cell.Text} {cell.Unit}{(cell.AtResolution ? " ‡" : "")}";
    }

    [TestCase(0.01918, 0.0003, "19.18 ± 0.30 ms")]          // the issue's latency in seconds
    [TestCase(0.00004, 0.000002, "40.0 ± 2.0 µs")]
    [TestCase(37.057, 0.4, "37.06 ± 0.40 s")]
    [TestCase(900, 12, "15.00 ± 0.20 min")]                 // 900 s = 15 min, 12 s = 0.2 min
    [TestCase(86_400, 0, "24 ± 0 h")]
    [TestCase(0.55281, 4.3872e-13, "552.8 ± 0 ms")]           // rounding noise is no interval
    public void TimesTakeTheUnitThatSuitsThem(double mean, double half, string expected) =>
        Assert.That(Show(mean, half, "s"), Is.EqualTo(expected));

    [TestCase(6e9, 2.7947e-13, "6 ± 0 GB")]                 // the issue's "6E+09 B ± 2.7947E-13"
    [TestCase(3.51e8, 0, "351 ± 0 MB")]
    [TestCase(1234, 56, "1.234 ± 0.056 kB")]
    [TestCase(512, 3, "512.0 ± 3.0 B")]
    public void BytesTakeDecimalPrefixes(double mean, double half, string expected) =>
        Assert.That(Show(mean, half, "B"), Is.EqualTo(expected));

    [Test]
    public void DigitsFollowTheIntervalsWidth()
    {
        // Two significant digits of the half-width; the mean to the same place.
        Assert.That(Show(729.5, 44.472, "invocations"), Is.EqualTo("730 ± 44 invocations"));
        Assert.That(Show(0.70253, 0.0996, "USD"), Is.EqualTo("0.70 ± 0.10 USD"), "0.0996 rounds up to 0.10, two digits");
        Assert.That(Show(101_932, 19_011, "GB-s"), Is.EqualTo("101,932 ± 19,011 GB-s"));
        Assert.That(Show(0.017145, 0.027172, "fraction"), Is.EqualTo("1.7 ± 2.7 %"));
        Assert.That(Show(double.NaN, double.NaN, "s"), Is.EqualTo("n/a s"));
        Assert.That(Show(0.57886, double.NaN, "vCPUs"), Is.EqualTo("0.5789 vCPUs"), "one replication: no interval");
    }

    [Test]
    public void APercentileIsNoSharperThanItsSketch()
    {
        // Replications that agree exactly on a p99 still carry the sketch's 0.5% error.
        Assert.That(Show(1.412, 0, "s", "webhook.response_time_p99"), Is.EqualTo("1.4120 ± 0.0071 s ‡"));
        Assert.That(Show(0.126, 0.0018, "s", "latency p99"), Is.EqualTo("126.0 ± 1.8 ms"), "wider than the sketch: the replications' own");
        Assert.That(Show(0.126, 0, "s", "response_time_mean"), Is.EqualTo("126 ± 0 ms"), "a mean has no sketch");
        Assert.That(Readable.IsPercentile("thumbnail.response_time_warm_p99"), Is.True);
        Assert.That(Readable.IsPercentile("pods_pending"), Is.False);
    }

    [Test]
    public void RunMetricsGroupByWhatTheyMeasureAndRowsThatDoNotApplyAreLeftOut()
    {
        MetricSummary M(string name, double mean) => new(name, "s", new ConfidenceInterval(mean, 0, 2, 0.95));
        var groups = ResultGroups.Of([M("api.response_time_mean", 0.1), M("api.timeouts", 0), M("vm_startup_mean", double.NaN),
            M("vms_running", 0), M("pods_started", 3), M("hosts_used", 2), M("cost", 0)], out int omitted);
        Assert.That(groups.Select(g => g.Title), Is.EqualTo(new[] { "api", "containers", "hosts, energy and money" }));
        Assert.That(groups[0].Rows.Select(r => r.Name), Is.EqualTo(new[] { "response_time_mean", "timeouts" }), "a service's zero stays");
        Assert.That(omitted, Is.EqualTo(2), "vm_startup_mean has no value; the VM group is all zeros");
    }

    [Test]
    public void EveryRunWideMetricOfTheCatalogueHasAGroup()
    {
        var runWide = typeof(MetricCatalogue).GetFields().Select(f => f.GetValue(null)).OfType<Metric>().Where(m => m.Subject == MetricSubject.Run).ToList();
        Assert.That(runWide, Is.Not.Empty);
        Assert.That(runWide.Where(m => ResultGroups.Area(m.Name) == "run").Select(m => m.Name), Is.Empty);
    }
}
