using VirtSim.Experiments.Api;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>The C# API builds the same model a file describes.</summary>
public class ApiTests
{
    private static Comparison WebApiInCSharp(int replications)
    {
        var hosts = new[]
        {
            Hosts.Group("vm-hosts", count: 4, cores: 16, memory: "64GiB", disk: "1TB", diskBandwidth: "500MB/s", hypervisor: "type1", price: "0.80/h"),
            Hosts.Group("container-hosts", count: 4, cores: 16, memory: "64GiB", disk: "1TB", diskBandwidth: "500MB/s", hypervisor: "none", price: "0.80/h"),
        };
        var api = Workload.Poisson("40/s", cpu: "25ms exponential", network: "20KB");
        return Compare.Build(hosts, api,
        [
            Deploy.OnVms(replicas: 4, Image.Vm("api-vm", "4GB"), vcpus: 2, memory: "4GiB", hostGroup: "vm-hosts"),
            Deploy.InPods(replicas: 4, Image.Layers("api", "FROM node:22-slim 200MB", "COPY api /srv 30MB"), cpu: 1, memory: "512MiB"),
            Deploy.AsFunction(memory: "512MiB", keepAlive: "10min", runtimeInit: "300ms", functionInit: "400ms"),
        ], duration: "1h", warmup: "10min", replications: replications, seed: 21, network: Net.Star("10Gbps", latency: "50us", efficiency: 0.9),
            name: "compare-web-api", description: "A web API at steady load as VMs, as containers and as a function.");
    }

    [Test]
    public void TheWebApiBuiltInCSharpGivesTheSameNumbersAsItsFile()
    {
        var file = ComparisonReader.LoadFile(Path.Combine(Repository.Examples, "compare-web-api.yaml"));
        var options = new RunOptions(Replications: 2);
        var fromFile = ComparisonRunner.Run(file, options);
        var fromCode = ComparisonRunner.Run(WebApiInCSharp(10), options);
        Assert.That(fromCode.Comparison.Deployments.Select(d => (d.Name, d.Kind)), Is.EqualTo(file.Deployments.Select(d => (d.Name, d.Kind))));
        for (int d = 0; d < fromFile.Runs.Count; d++)
        {
            // Every metric of every replication, to the bit (the engine group's name differs; nothing measured depends on it).
            Assert.That(fromCode.Runs[d].Summary, Is.EqualTo(fromFile.Runs[d].Summary), file.Deployments[d].Name);
        }
        Assert.That(fromCode.Table(), Is.EqualTo(fromFile.Table()));
    }

    [Test]
    public void TheDocumentIsAFileTheCommandLineRuns()
    {
        string document = Compare.Document([Hosts.Group("h", count: 1, cores: 8, memory: "32GiB", hypervisor: "none")],
            Workload.Poisson("5/s", cpu: "10ms"), [Deploy.InPods(1, Image.Layers("app", "FROM app 50MB"), cpu: 1, memory: "1GiB"), Deploy.AsFunction()],
            duration: "10min");
        var comparison = ComparisonReader.Parse("c.yaml", document);
        Assert.That(comparison.Deployments.Select(d => d.Kind), Is.EqualTo(new[] { ComparisonReader.Containers, ComparisonReader.ProviderFunctions }));
        Assert.That(comparison.Deployments[1].Scenario.Datacenter!.Functions!.Functions[0].MemoryBytes, Is.EqualTo(VirtSim.Datacenter.Serverless.FunctionSpec.DefaultMemoryBytes),
            "an argument left out takes the model's default");
    }

    [Test]
    public void AMistakeIsOneLineNamingTheValue()
    {
        var e = Assert.Throws<ModelException>(() => Compare.Build([Hosts.Group("h", count: 1, cores: 8, memory: "lots", hypervisor: "none")],
            Workload.Poisson("5/s", cpu: "10ms"), [Deploy.AsFunction(), Deploy.AsFunction(name: "again")]));
        Assert.That(e!.Message, Is.EqualTo("datacenter.hosts[0].memory: expected a size such as 8GB or 4GiB, not 'lots'"));
        var twice = Assert.Throws<ModelException>(() => Compare.Build([Hosts.Group("h", count: 1, cores: 8, memory: "32GiB", hypervisor: "none")],
            Workload.Poisson("5/s", cpu: "10ms"), [Deploy.AsFunction(), Deploy.AsFunction()]));
        Assert.That(twice!.Message, Does.Contain("a deployment named 'functions' is declared twice"));
    }

    [Test]
    public void ResultsAreReadByMeasureAndDeployment()
    {
        var result = Compare.Run([Hosts.Group("h", count: 1, cores: 8, memory: "32GiB", hypervisor: "none")],
            Workload.Poisson("5/s", cpu: "10ms"), [Deploy.InPods(1, Image.Layers("app", "FROM app 50MB"), cpu: 1, memory: "1GiB"), Deploy.AsFunction(keepAlive: "10min")],
            duration: "10min", warmup: "1min", replications: 2);
        Assert.That(result.Mean(ComparisonMeasures.LatencyP50, "containers"), Is.GreaterThan(0.01).And.LessThan(0.02));
        Assert.That(result.StartupTimeline(), Is.Not.Null);
        Assert.Throws<ModelException>(() => result.Mean(ComparisonMeasures.LatencyP50, "vms"));
    }
}

/// <summary>The runnable C# sample the README shows.</summary>
public class ApiSampleTests
{
    [Test]
    public void TheCSharpSampleRunsAndPrintsItsTableAndItsDocument()
    {
        var (code, output, errors) = ExternalProcess.Run("dotnet", ["run", Path.Combine(Repository.Root, "samples", "compare-in-csharp.cs")],
            TimeSpan.FromMinutes(5), Repository.Root);
        Assert.That(code, Is.Zero, errors);
        Assert.That(output, Does.Match(@"\| latency p99 \| m?s \|").And.Contain("The same comparison as a scenario file:").And.Contain("\"compare\""));
    }
}

/// <summary>Single scenarios through the C# API.</summary>
public class ApiScenarioTests
{
    [Test]
    public void TheMm1StationBuiltInCSharpGivesTheSameNumbersAsItsFile()
    {
        var file = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "mm1.yaml"));
        var code = Scenarios.Station(servers: 1, rate: "0.8/s", service: "1s exponential", duration: "10h", warmup: "10min",
            replications: 10, seed: 1, name: file.Name) with { Description = file.Description };
        Assert.That(code, Is.EqualTo(file));
        Assert.That(code.Run(2).Summary, Is.EqualTo(file.Run(2).Summary));
    }

    [Test]
    public void FunctionsAloneRunAndAreReadByTypedMetric()
    {
        var scenario = Scenarios.Functions([Scenarios.Function("thumb", rate: "2/s", duration: "300ms exponential", keepAlive: "10min")],
            duration: "1h", replications: 2);
        var result = scenario.Run();
        double invocations = result.Mean(VirtSim.Datacenter.Metrics.MetricCatalogue.FunctionInvocations.Of("thumb"));
        Assert.That(invocations, Is.EqualTo(7200).Within(3 * Math.Sqrt(7200)), "Poisson arrivals at 2/s for an hour");
        var e = Assert.Throws<ModelException>(() => result.Mean(VirtSim.Datacenter.Metrics.MetricCatalogue.FunctionInvocations.Of("resize")));
        Assert.That(e!.Message, Does.StartWith("the run did not measure resize.invocations"));
    }

    [Test]
    public void AStationMistakeIsOneLineNamingTheValue()
    {
        var e = Assert.Throws<ModelException>(() => Scenarios.Station(servers: 0, rate: "0.8/s", service: "1s"));
        Assert.That(e!.Message, Is.EqualTo("station.servers: expected a whole number from 1 to 1000000, not 0"));
    }
}
