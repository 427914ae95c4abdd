using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class DatacenterScenarioTests
{
    private const string Good = """
        duration: 1h
        datacenter:
          placement: best-fit
          network:
            topology: leaf-spine
            hosts_per_rack: 4
            spines: 2
            host_link: {bandwidth: 10Gbps, latency: 50us, efficiency: 0.9}
            uplink: {bandwidth: 40Gbps}
          hosts:
            - group: web
              count: 8
              cores: 16
              memory: 64GiB
              disk: 1TB
              disk_bandwidth: 500MB/s
              hypervisor: {kind: type2, cpu_efficiency: 0.7}
              power: {idle: 90W, peak: 250W}
              price: 0.40/h
        images:
          - {name: ubuntu, size: 8GB}
        services:
          - name: api
            arrivals: {rate: 50/s}
            request: {cpu: 20ms, disk: 64KB, network: 100KB}
            replicas: 2
            balancing: least-loaded
            vm: {image: ubuntu, vcpus: 2, memory: 4GiB, host_group: web, disk_limit: 100MB/s}
        """;

    [Test]
    public void AGoodDatacenterScenarioIsReadWithItsUnits()
    {
        var dc = ScenarioLoader.Parse("dc.yaml", Good).Datacenter!;
        var host = dc.HostGroups.Single().Host;
        Assert.That((host.Cores, host.MemoryBytes, host.DiskBytes, host.DiskBandwidth), Is.EqualTo((16, 64.0 * (1 << 30), 1e12, 500e6)));
        Assert.That(host.Hypervisor, Is.EqualTo(new HypervisorSpec(HypervisorKind.Type2, 0.7, 0.60)));
        Assert.That(host.PricePerSecond, Is.EqualTo(0.40 / 3600).Within(1e-15));
        Assert.That(dc.Placement, Is.EqualTo(PlacementRule.BestFit));
        var fabric = (TopologySpec.LeafSpine)dc.Topology;
        Assert.That((fabric.HostsPerRack, fabric.Spines, fabric.HostLink.Bandwidth, fabric.Uplink.Bandwidth, fabric.Uplink.Efficiency),
            Is.EqualTo((4, 2, 10e9 / 8, 40e9 / 8, 1.0)));
        var vm = dc.Services.Single().Vm!;
        Assert.That((vm.Vcpus, vm.MemoryBytes, vm.DiskLimit), Is.EqualTo((2, 4.0 * (1 << 30), 100e6)));
    }

    [Test]
    public void ALeafSpineScenarioRuns()
    {
        var scenario = ScenarioLoader.Parse("dc.yaml", Good) with { Duration = 600, Warmup = 300 };
        var result = VirtSim.Experiments.Running.ExperimentRunner.Run(scenario, new(Replications: 1));
        var m = result.Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["api.throughput"], Is.EqualTo(50).Within(5));
        Assert.That(m["hosts_used"], Is.EqualTo(1), "best fit puts both 2-vCPU replicas on one host");
    }

    private static ScenarioException Bad(string text) =>
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", text))!;

    [Test]
    public void AnUnknownImageIsNamed()
    {
        var e = Bad(Good.Replace("vm: {image: ubuntu,", "vm: {image: debian,"));
        Assert.That(e.Message, Does.Contain("services[0].vm.image: no image named 'debian' (declared: ubuntu)"));
        Assert.That(e.Line, Is.EqualTo(28));
    }

    [Test]
    public void AnUnknownHostGroupIsNamed()
    {
        var e = Bad(Good.Replace("host_group: web", "host_group: db"));
        Assert.That(e.Message, Does.Contain("no host group named 'db' (declared: web)"));
    }

    [Test]
    public void AForeignInstructionSetWithoutAnEmulatorIsRefused()
    {
        var e = Bad(Good.Replace("{name: ubuntu, size: 8GB}", "{name: ubuntu, size: 8GB, isa: arm64}"));
        Assert.That(e.Message, Does.Contain("can run image 'ubuntu' built for arm64: only an emulator runs a foreign instruction set"));
    }

    [Test]
    public void AVmNoHostCouldEverAdmitIsRefused()
    {
        var e = Bad(Good.Replace("vcpus: 2, memory: 4GiB", "vcpus: 32, memory: 4GiB"));
        Assert.That(e.Message, Does.Contain("no host in group 'web' is large enough for this VM (32 vCPUs"));
    }

    [Test]
    public void AnUnknownSizeUnitIsNamed()
    {
        var e = Bad(Good.Replace("memory: 64GiB", "memory: 64GB2"));
        Assert.That(e.Message, Does.Contain("unknown unit 'GB2' (expected one of B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB)"));
    }

    [Test]
    public void ABandwidthWithoutUnitIsRefused()
    {
        var e = Bad(Good.Replace("bandwidth: 10Gbps", "bandwidth: 10"));
        Assert.That(e.Message, Does.Contain("expected a unit after 10"));
    }

    [Test]
    public void AnEfficiencyAboveOneIsRefused()
    {
        var e = Bad(Good.Replace("efficiency: 0.9", "efficiency: 35"));
        Assert.That(e.Message, Does.Contain("network.host_link.efficiency: expected a number above 0 and at most 1, not 35"));
    }

    [Test]
    public void AnUnknownHypervisorKindListsTheKnownOnes()
    {
        var e = Bad(Good.Replace("{kind: type2, cpu_efficiency: 0.7}", "xen"));
        Assert.That(e.Message, Does.Contain("expected one of none, type1, type2, emulator, not 'xen'"));
    }

    [Test]
    public void PeakPowerBelowIdleIsRefused()
    {
        var e = Bad(Good.Replace("peak: 250W", "peak: 50W"));
        Assert.That(e.Message, Does.Contain("expected the peak power to be at least the idle power"));
    }

    [Test]
    public void AStationAndADatacenterTogetherAreRefused()
    {
        var e = Bad(Good + "\nstation: {arrivals: {rate: 1/s}, service: {distribution: exponential, mean: 1s}}\n");
        Assert.That(e.Message, Does.Contain("expected either station or datacenter, not both"));
    }
}
