using VirtSim.Experiments.Scenarios;

namespace VirtSim.Tests.Experiments;

public class ContainerScenarioTests
{
    private const string Good = """
        duration: 1h
        datacenter:
          network: {topology: star, host_link: {bandwidth: 10Gbps}}
          hosts:
            - {group: bare, count: 2, cores: 8, memory: 32GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
            - {group: virt, count: 2, cores: 8, memory: 32GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: type1}
          engines:
            - {name: nodes, engine: docker, host_group: bare, layer_cache: 10GB}
            - {name: pool, engine: {name: containerd, start: 200ms}, vm: {image: ubuntu, vcpus: 4, memory: 8GiB}, count: 1, max: 3, scale_down_after: 5min}
        images:
          - {name: ubuntu, size: 2GB}
        container_images:
          - name: base
            steps: [{run: "FROM debian:12", size: 50MB}]
          - name: app
            base: base
            steps: [{run: "COPY app /srv", size: 20MB}]
        services:
          - name: api
            arrivals: {rate: 10/s}
            request: {cpu: 10ms}
            replicas: 2
            pod: {engines: nodes, containers: [{name: web, image: app, cpu: 1, memory: 512MiB, ports: [80]}]}
        batches:
          - {name: jobs, tasks: 10, task_cpu: 5s, pod: {engines: pool, containers: [{image: app, cpu: 1, memory: 1GiB}]}}
        """;

    [Test]
    public void AContainerScenarioIsReadWithItsImagesEnginesAndPods()
    {
        var dc = ScenarioLoader.Parse("c.yaml", Good).Datacenter!;
        var pool = dc.EngineGroups!.Single(g => g.Name == "pool");
        Assert.That((pool.Profile.Name, pool.Profile.ContainerStartSeconds, pool.Count, pool.MaxCount, pool.ScaleDownAfter), Is.EqualTo(("containerd", 0.2, 1, 3, 300.0)));
        var service = dc.Services.Single();
        Assert.That(service.Pod!.Containers.Single().Image.Layers, Has.Count.EqualTo(2), "built on its base");
        Assert.That(service.Pod.Containers.Single().HostPorts, Is.EqualTo(new[] { 80 }));
        Assert.That(dc.Batches.Single().Pod!.Containers[0].MainProcessCpu, Is.Not.Null, "the task is the first container's main process");
    }

    [Test]
    public void AContainerScenarioRuns()
    {
        var scenario = ScenarioLoader.Parse("c.yaml", Good) with { Duration = 1200 };
        var m = VirtSim.Experiments.Running.ExperimentRunner.Run(scenario, new(Replications: 1)).Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["jobs.tasks_done"], Is.EqualTo(10));
        Assert.That(m["api.throughput"], Is.EqualTo(10).Within(1.5));
        Assert.That(m["autoscaler_vms_added"], Is.GreaterThanOrEqualTo(1), "ten 1-core tasks overflow one 4-vCPU engine");
    }

    [Test]
    public void CacheHitsAreCountedOneWayForImagesAndLayers()
    {
        // Two VMs of one image and two pods of a one-layer image, each pair asked for at once on
        // one empty host or node: the first starts a transfer (a miss), the second joins it (a
        // hit, since no second transfer starts), so both ratios are one half.
        const string text = """
            duration: 1h
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: virt, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: type1}
                - {group: bare, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
              engines:
                - {name: nodes, engine: containerd, host_group: bare}
            images:
              - {name: ubuntu, size: 2GB}
            vms:
              - {name: web, image: ubuntu, vcpus: 2, memory: 4GiB, count: 2}
            container_images:
              - {name: app, steps: [{run: FROM app, size: 200MB}]}
            pods:
              - {name: p, engines: nodes, count: 2, containers: [{image: app, cpu: 1, memory: 1GiB, run: 1s}]}
            """;
        var m = VirtSim.Experiments.Running.ExperimentRunner.Run(ScenarioLoader.Parse("c.yaml", text), new(Replications: 1))
            .Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That(m["image_bytes_pulled"], Is.EqualTo(2e9), "the image moved once");
        Assert.That(m["layer_bytes_pulled"], Is.EqualTo(200e6), "the layer moved once");
        Assert.That(m["image_cache_hit_ratio"], Is.EqualTo(0.5));
        Assert.That(m["layer_cache_hit_ratio"], Is.EqualTo(0.5));
    }

    [Test]
    public void APodThatCanNeverBePlacedIsCountedAndWarnedAbout()
    {
        // One node; a pod that runs until stopped holds host port 80, so a finite pod that also
        // binds port 80 waits for the whole run: it is counted as pending and warned about.
        const string text = """
            duration: 1h
            datacenter:
              network: {topology: star, host_link: {bandwidth: 10Gbps}}
              hosts:
                - {group: bare, count: 1, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s, hypervisor: none}
              engines:
                - {name: nodes, engine: containerd, host_group: bare}
            container_images:
              - {name: app, steps: [{run: FROM app, size: 200MB}]}
            pods:
              - {name: web, engines: nodes, containers: [{image: app, cpu: 1, memory: 1GiB, ports: [80]}]}
              - {name: report, engines: nodes, containers: [{image: app, cpu: 1, memory: 1GiB, ports: [80], run: 10s}]}
            """;
        var result = VirtSim.Experiments.Running.ExperimentRunner.Run(ScenarioLoader.Parse("c.yaml", text), new(Replications: 1));
        var m = result.Summary.ToDictionary(x => x.Name, x => x.Interval.Mean);
        Assert.That((m["pods_started"], m["pods_pending"], m["report.pods_pending"], m["web.pods_pending"]), Is.EqualTo((1.0, 1.0, 1.0, 0.0)));
        Assert.That(result.Warnings, Has.One.StartsWith("pod group 'report' ended with 1 of its pods still waiting for an engine with room"));
    }

    private static ScenarioException Bad(string text) =>
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("bad.yaml", text))!;

    [Test]
    public void AnUnknownEngineGroupIsNamed() =>
        Assert.That(Bad(Good.Replace("pod: {engines: nodes", "pod: {engines: edge")).Message, Does.Contain("no engine group named 'edge' (declared: nodes, pool)"));

    [Test]
    public void AnUnknownContainerImageIsNamed() =>
        Assert.That(Bad(Good.Replace("image: app, cpu: 1, memory: 512MiB", "image: nginx, cpu: 1, memory: 512MiB")).Message,
            Does.Contain("no container image named 'nginx' (declared: base, app)"));

    [Test]
    public void ABaseImageMustBeDeclaredFirst() =>
        Assert.That(Bad(Good.Replace("base: base", "base: app")).Message, Does.Contain("no container image named 'app' above this one"));

    [Test]
    public void TwoContainersOfAPodCannotBindOnePort()
    {
        var e = Bad(Good.Replace("ports: [80]}]}", "ports: [80]}, {name: side, image: app, cpu: 1, memory: 64MiB, ports: [80]}]}"));
        Assert.That(e.Message, Does.Contain("two containers of one pod bind host port 80"));
    }

    [Test]
    public void AnImageForAnotherKernelIsRefused()
    {
        var e = Bad(Good.Replace("steps: [{run: \"FROM debian:12\", size: 50MB}]", "kernel: windows\n    steps: [{run: \"FROM servercore\", size: 50MB}]"));
        Assert.That(e.Message, Does.Contain("needs a windows kernel; the engines of 'nodes' run on linux"));
    }

    [Test]
    public void BareMetalEnginesNeedHostsWithoutAHypervisor() =>
        Assert.That(Bad(Good.Replace("host_group: bare, layer_cache", "host_group: virt, layer_cache")).Message,
            Does.Contain("host group 'virt' runs a hypervisor"));

    [Test]
    public void AServiceContainerCannotHaveAFiniteMainProcess() =>
        Assert.That(Bad(Good.Replace("memory: 512MiB, ports: [80]}", "memory: 512MiB, ports: [80], run: 10s}")).Message,
            Does.Contain("a service's containers serve requests until stopped"));

    [Test]
    public void APodNoEngineCanHoldIsRefused() =>
        Assert.That(Bad(Good.Replace("cpu: 1, memory: 1GiB}", "cpu: 6, memory: 1GiB}")).Message,
            Does.Contain("no engine of 'pool' is large enough for this pod (6 cores"));

    [Test]
    public void ACallNeedsABackend() =>
        Assert.That(Bad(Good.Replace("    replicas: 2\n    pod:", "    replicas: 2\n    call: {cpu: 1ms}\n    pod:")).Message,
            Does.Contain("a call needs a backend: a container of the pod with role: backend (IPC), or a backend section (separate pods)"));

    [Test]
    public void ABackendContainerNeedsACall() =>
        Assert.That(Bad(Good.Replace("ports: [80]}]}", "ports: [80]}, {name: db, image: base, cpu: 1, memory: 1GiB, role: backend}]}")).Message,
            Does.Contain("a backend needs a call"));

    [Test]
    public void MaxBelowCountIsRefused() =>
        Assert.That(Bad(Good.Replace("count: 1, max: 3", "count: 2, max: 1")).Message, Does.Contain("expected max to be at least count (2)"));
}
