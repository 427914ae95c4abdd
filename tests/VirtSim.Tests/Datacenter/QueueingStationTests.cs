using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Random;
using VirtSim.Kernel.Statistics;
using static VirtSim.Tests.Datacenter.QueueingTheory;

namespace VirtSim.Tests.Datacenter;

/// <summary>
/// The kernel held to queueing theory: each station runs 20 independent replications long
/// enough that the theoretical value must fall inside the 95% confidence interval, and the
/// interval must be narrow (a few percent), so a wrong model cannot pass by being vague.
/// </summary>
public class QueueingStationTests
{
    private static Dictionary<string, ConfidenceInterval> Run(StationSpec spec, double duration, double warmup = 1000, int replications = 20)
    {
        var scenario = new VirtSim.Experiments.Scenarios.Scenario("test", "", 2026, replications, warmup, duration, spec);
        var result = VirtSim.Experiments.Running.ExperimentRunner.Run(scenario);
        return result.Summary.ToDictionary(m => m.Name, m => m.Interval);
    }

    private static void AssertTheory(ConfidenceInterval ci, double theory, double maxRelativeHalfWidth)
    {
        Assert.That(ci.HalfWidth / theory, Is.LessThan(maxRelativeHalfWidth), $"interval too wide to say anything: {ci}");
        Assert.That(ci.Contains(theory), Is.True, $"theory {theory} outside {ci.Low} .. {ci.High}");
    }

    private static StationSpec Poisson(double lambda, Distribution service, int servers = 1,
        QueueDiscipline discipline = QueueDiscipline.FirstComeFirstServed, int? capacity = null) =>
        new(servers, discipline, capacity, new Distribution.Exponential(1 / lambda), service);

    [Test]
    public void MM1MeanResponseAndWaitProbabilityMatchTheory()
    {
        // λ = 0.7, μ = 1: E[T] = 1 / (μ − λ) = 3.333 s; P(wait) = ρ = 0.7.
        var r = Run(Poisson(0.7, new Distribution.Exponential(1)), duration: 50_000);
        AssertTheory(r["response_time_mean"], 1 / (1 - 0.7), 0.03);
        AssertTheory(r["wait_probability"], 0.7, 0.01);
        AssertTheory(r["utilization"], 0.7, 0.01);
        AssertTheory(r["mean_in_system"], 0.7 / (1 - 0.7), 0.03);
    }

    [Test]
    public void MM1ResponseTimePercentilesAreThoseOfTheExponentialSojourn()
    {
        // The M/M/1 FCFS sojourn time is exponential with rate μ − λ: p = −ln(1 − q) / (μ − λ).
        var r = Run(Poisson(0.7, new Distribution.Exponential(1)), duration: 50_000);
        AssertTheory(r["response_time_p50"], Math.Log(2) / 0.3, 0.03);
        AssertTheory(r["response_time_p95"], Math.Log(20) / 0.3, 0.03);
        AssertTheory(r["response_time_p99"], Math.Log(100) / 0.3, 0.04);
    }

    [Test]
    public void MM4MatchesErlangC()
    {
        // λ = 3.2, μ = 1, c = 4: a = 3.2, ρ = 0.8; Erlang C gives P(wait) = 0.5964 and
        // E[T] = C / (cμ − λ) + 1/μ = 1.7455 s.
        var r = Run(Poisson(3.2, new Distribution.Exponential(1), servers: 4), duration: 20_000);
        AssertTheory(r["wait_probability"], ErlangC(4, 3.2), 0.02);
        AssertTheory(r["response_time_mean"], MmcMeanResponse(4, 3.2, 1), 0.02);
        Assert.That(ErlangC(4, 3.2), Is.EqualTo(0.5964).Within(1e-4), "the formula itself, against the published table value");
    }

    [Test]
    public void MD1MatchesPollaczekKhinchine()
    {
        // Deterministic service 1 s at λ = 0.8: E[T] = 1 + 0.8 · 1 / (2 · 0.2) = 3 s,
        // half the M/M/1 wait (5 s response), because the service has no variance.
        var r = Run(Poisson(0.8, new Distribution.Deterministic(1)), duration: 40_000);
        AssertTheory(r["response_time_mean"], MG1MeanResponse(0.8, 1, 1), 0.03);
        Assert.That(MG1MeanResponse(0.8, 1, 1), Is.EqualTo(3).Within(1e-12));
    }

    [Test]
    public void MM1ProcessorSharingOnTheFairShareEngineMatchesTheory()
    {
        // M/M/1-PS: E[T] = E[S] / (1 − ρ) = 1 / 0.3 at ρ = 0.7.
        var r = Run(Poisson(0.7, new Distribution.Exponential(1), discipline: QueueDiscipline.ProcessorSharing), duration: 50_000);
        AssertTheory(r["response_time_mean"], PsMeanResponse(0.7, 1), 0.03);
        AssertTheory(r["utilization"], 0.7, 0.01);
    }

    [Test]
    public void ProcessorSharingMeanResponseIsInsensitiveToTheServiceDistribution()
    {
        // M/D/1-PS has the same mean response as M/M/1-PS (1 / 0.3), unlike FCFS where
        // deterministic service would give 1 + 0.7 / 0.6 = 2.17 s.
        var r = Run(Poisson(0.7, new Distribution.Deterministic(1), discipline: QueueDiscipline.ProcessorSharing), duration: 50_000);
        AssertTheory(r["response_time_mean"], PsMeanResponse(0.7, 1), 0.03);
    }

    [Test]
    public void MMccLossProbabilityMatchesErlangB()
    {
        // c = 5 servers, no waiting room, a = λ/μ = 3: B(5, 3) = 0.1101.
        var r = Run(Poisson(3, new Distribution.Exponential(1), servers: 5, capacity: 5), duration: 20_000);
        AssertTheory(r["loss_probability"], ErlangB(5, 3), 0.03);
        Assert.That(ErlangB(5, 3), Is.EqualTo(0.1101).Within(1e-4), "the formula itself, against the published table value");
        // Nobody ever waits in a loss system.
        Assert.That(r["wait_probability"].Mean, Is.Zero);
    }

    [Test]
    public void ErlangBIsInsensitiveToTheServiceDistributionToo()
    {
        // M/G/c/c: the loss probability depends on the service distribution only through its mean.
        var r = Run(Poisson(3, new Distribution.Uniform(0.5, 1.5), servers: 5, capacity: 5), duration: 20_000);
        AssertTheory(r["loss_probability"], ErlangB(5, 3), 0.03);
    }
}
