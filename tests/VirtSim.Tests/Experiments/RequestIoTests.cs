using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Serverless;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

/// <summary>
/// One request, executed the same way under every deployment: its CPU, its disk read and its
/// response over the network. An I/O-heavy request at a load too light to queue, so each
/// deployment's latency is the sum of its hand-computed phases.
/// </summary>
public class RequestIoTests
{
    private const string Text = """
        name: io-heavy
        seed: 3
        replications: 2
        warmup: 10min
        duration: 1h
        datacenter:
          network:
            topology: star
            host_link: {bandwidth: 1Gbps, latency: 0s, efficiency: 1}
          hosts:
            - {group: vm-hosts, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: type1}
            - {group: nodes, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
            - {group: faas-nodes, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
          engines:
            - {name: nodes, engine: containerd, host_group: nodes}
            - {name: faas-nodes, engine: containerd, host_group: faas-nodes}
        images:
          - {name: api-vm, size: 1GB}
        container_images:
          - {name: api, steps: [{run: FROM node, size: 100MB}]}
        workload:
          arrivals: {rate: 1/min}
          request: {cpu: 1ms, disk: 50MB, network: 20MB}
        compare:
          - {name: vms, replicas: 1, vm: {image: api-vm, vcpus: 2, memory: 4GiB, host_group: vm-hosts}}
          - {name: containers, replicas: 1, pod: {engines: nodes, containers: [{image: api, cpu: 1, memory: 1GiB}]}}
          - {name: provider, function: {memory: 1769MiB, keep_alive: 2h}}
          - {name: self-hosted, function: {engines: faas-nodes, base_image: api, memory: 1769MiB, keep_alive: 2h}}
        """;

    [Test]
    public void AnIoHeavyRequestTakesItsHandComputedTimeUnderEveryDeployment()
    {
        string file = Path.Combine(Path.GetTempPath(), $"io-heavy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, Text);
        ComparisonResult result;
        try
        {
            result = ComparisonRunner.Run(ComparisonReader.LoadFile(file));
        }
        finally
        {
            File.Delete(file);
        }
        const double cpu = 0.001, disk = 50e6, response = 20e6, diskBandwidth = 500e6, link = 1e9 / 8;
        var type1 = HypervisorSpec.Default(HypervisorKind.Type1);
        var platform = new FunctionPlatformSpec([], null, ThrottlePolicy.Reject, FunctionPricing.Default);
        // A VM pays the hypervisor on its CPU (1.10 x) and on its I/O path: the disk and its side
        // of the link each give it 86% of their bandwidth.
        double vm = cpu / type1.CpuEfficiency + disk / (diskBandwidth * type1.IoEfficiency) + response / (link * type1.IoEfficiency);
        // A container on bare metal, and a function instance on the same kind of node, pay nothing more.
        double bareMetal = cpu + disk / diskBandwidth + response / link;
        // On the provider: its instance's storage and network bandwidths.
        double provider = cpu + disk / platform.InstanceStorageBandwidth + response / platform.InstanceNetworkBandwidth;
        Assert.That(vm, Is.EqualTo(0.3034).Within(0.0001));
        Assert.That(bareMetal, Is.EqualTo(0.261).Within(1e-9));
        Assert.That(provider, Is.EqualTo(0.6677).Within(0.0001));
        double[] expected = [vm, bareMetal, provider, bareMetal];
        var p50 = result.Rows.Single(r => r.Metric == "latency p50").Values;
        for (int d = 0; d < expected.Length; d++)
        {
            // The quantile sketch is accurate to 0.5%; every request here takes the same time.
            Assert.That(p50[d].Mean, Is.EqualTo(expected[d]).Within(0.6).Percent, result.Comparison.Deployments[d].Name);
        }
    }
}
