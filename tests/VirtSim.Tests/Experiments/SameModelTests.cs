using VirtSim.Experiments.Api;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// A scenario built through the C# API and the same scenario written as a file give the same
/// numbers, to the bit: one test per kind of model (the station and the comparison are in
/// <see cref="ApiScenarioTests"/> and <see cref="ApiTests"/>). The files here are written by
/// hand, not by the API, so a default that differs between the two would show.
/// </summary>
public class SameModelTests
{
    private static void SameSummaries(Scenario fromCode, Scenario fromFile)
    {
        var code = ExperimentRunner.Run(fromCode);
        var file = ExperimentRunner.Run(fromFile);
        Assert.That(code.Summary.Select(m => m.Name), Is.EqualTo(file.Summary.Select(m => m.Name)));
        Assert.That(code.Summary, Is.EqualTo(file.Summary));
        Assert.That(code.Summary, Is.Not.Empty);
    }

    [Test]
    public void AServiceOnVmsBuiltInCSharpIsTheFilesDatacenter()
    {
        const string yaml = """
            name: service
            duration: 20min
            warmup: 2min
            replications: 2
            seed: 3
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: web, count: 2, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: type1, price: 0.80/h}
            images:
              - {name: api-vm, size: 4GB}
            services:
              - name: api
                arrivals: {rate: 40/s}
                request: {cpu: {distribution: exponential, mean: 25ms}, disk: 1MB, network: 20KB}
                replicas: 2
                vm: {image: api-vm, vcpus: 2, memory: 4GiB}
            """;
        var code = Scenarios.Service([Hosts.Group("web", count: 2, cores: 16, memory: "64GiB", hypervisor: "type1", price: "0.80/h")],
            Workload.Poisson("40/s", cpu: "25ms exponential", disk: "1MB", network: "20KB"),
            Deploy.OnVms(replicas: 2, Image.Vm("api-vm", "4GB"), vcpus: 2, memory: "4GiB"),
            duration: "20min", warmup: "2min", replications: 2, seed: 3);
        SameSummaries(code, ScenarioLoader.Parse("service.yaml", yaml));
    }

    [Test]
    public void AServiceInPodsBuiltInCSharpIsTheFilesContainers()
    {
        const string yaml = """
            name: service
            duration: 20min
            warmup: 2min
            replications: 2
            seed: 3
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: bare, count: 2, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
              engines:
                - {name: bare-engines, engine: containerd, host_group: bare}
            container_images:
              - name: api
                steps: [{run: "FROM node:22-slim", size: 200MB}, {run: "COPY api /srv", size: 30MB}]
            services:
              - name: api
                arrivals: {rate: 40/s}
                request: {cpu: {distribution: exponential, mean: 25ms}, network: 20KB}
                replicas: 3
                pod: {engines: bare-engines, containers: [{image: api, cpu: 1, memory: 512MiB}]}
            """;
        var code = Scenarios.Service([Hosts.Group("bare", count: 2, cores: 16, memory: "64GiB", hypervisor: "none")],
            Workload.Poisson("40/s", cpu: "25ms exponential", network: "20KB"),
            Deploy.InPods(replicas: 3, Image.Layers("api", "FROM node:22-slim 200MB", "COPY api /srv 30MB"), cpu: 1, memory: "512MiB"),
            duration: "20min", warmup: "2min", replications: 2, seed: 3);
        SameSummaries(code, ScenarioLoader.Parse("pods.yaml", yaml));
    }

    [Test]
    public void TheKeepAliveExampleBuiltInCSharpIsItsFile()
    {
        var file = ScenarioLoader.LoadFile(Path.Combine(Repository.Examples, "faas-keep-alive.yaml")) with { Replications = 2 };
        var windows = new[] { "none", "1min", "5min", "10min", "30min", "2h" };
        var code = Scenarios.Functions(
            [.. windows.Select(w => Scenarios.Function($"keep-{w}", rate: "12/h", duration: "200ms", memory: "512MiB", keepAlive: w,
                runtimeInit: "400ms", functionInit: "200ms"))],
            duration: "7d", replications: 2, seed: 11, name: file.Name) with { Description = file.Description };
        SameSummaries(code, file);
    }

    [Test]
    public void AServiceIsOnVmsOrInPodsNotAFunction()
    {
        var e = Assert.Throws<ModelException>(() => Scenarios.Service([Hosts.Group("h", count: 1, cores: 8, memory: "32GiB")],
            Workload.Poisson("5/s", cpu: "10ms"), Deploy.AsFunction()));
        Assert.That(e!.Message, Does.Contain("Scenarios.Functions"));
    }
}
