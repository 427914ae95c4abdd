using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Hosting;
using VirtSim.Datacenter.Network;
using VirtSim.Datacenter.Placement;
using VirtSim.Datacenter.Virtualization;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Scenarios;

/// <summary>Reads the <c>datacenter</c>, <c>images</c>, <c>vms</c>, <c>services</c> and <c>batches</c> sections.</summary>
internal static partial class DatacenterReader
{
    public static DatacenterSpec Read(YamlValue datacenterValue, YamlValue? imagesValue, YamlValue? vmsValue,
        YamlValue? servicesValue, YamlValue? batchesValue, YamlValue? containerImagesValue, YamlValue? podsValue,
        out Context contextRead)
    {
        var dc = datacenterValue.AsSection("network", "placement", "admission", "memory_scrub_rate", "monitoring_interval", "vm_mttf", "hosts",
            "engines", "container_placement");
        var topology = ReadNetwork(dc.Required("network", "{topology: star, host_link: {bandwidth: 10Gbps}}"));
        var placement = dc.Optional("placement")?.AsChoice(Placements) ?? PlacementRule.FirstFit;
        var admission = dc.Optional("admission")?.AsChoice(Admissions) ?? AdmissionPolicy.Queue;
        double scrub = dc.Optional("memory_scrub_rate")?.AsBandwidth() ?? 10e9;
        double monitoring = dc.Optional("monitoring_interval")?.AsDuration(allowZero: false) ?? 60;
        double? mttf = dc.Optional("vm_mttf")?.AsDuration(allowZero: false);
        var hostsValue = dc.Required("hosts", "[{group: web, count: 4, cores: 16, memory: 64GiB, disk: 1TB, disk_bandwidth: 500MB/s}]");
        var groups = hostsValue.AsList("host groups").Select(ReadHostGroup).ToList();
        if (groups.Count == 0)
        {
            throw hostsValue.Error("expected at least one host group");
        }

        var images = new Dictionary<string, VmImage>(StringComparer.Ordinal);
        foreach (var imageValue in imagesValue?.AsList("images") ?? [])
        {
            var (image, nameValue) = ReadImage(imageValue);
            if (!images.TryAdd(image.Name, image))
            {
                throw nameValue.Error($"an image named '{image.Name}' is declared twice");
            }
        }

        var hostGroups = groups.Select(g => g.Spec).ToList();
        var containerImages = ReadContainerImages(containerImagesValue);
        var engines = new Dictionary<string, EngineGroupSpec>(StringComparer.Ordinal);
        foreach (var engineValue in dc.Optional("engines")?.AsList("engine groups") ?? [])
        {
            var (group, nameValue) = ReadEngineGroup(engineValue, images, hostGroups);
            if (!engines.TryAdd(group.Name, group))
            {
                throw nameValue.Error($"an engine group named '{group.Name}' is declared twice");
            }
        }
        var context = new Context(images, hostGroups, containerImages, engines);
        contextRead = context;
        var vmValues = vmsValue?.AsList("VM groups").ToList() ?? [];
        var vms = vmValues.Select(v => ReadVmGroup(v, images, hostGroups)).ToList();
        // Names in a file are unique, so that its messages and timelines can name each group.
        var vmNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (value, group) in vmValues.Zip(vms))
        {
            if (!vmNames.Add(group.Vm.Name))
            {
                throw value.Error($"a VM group named '{group.Vm.Name}' is declared twice");
            }
        }
        var services = (servicesValue?.AsList("services") ?? []).Select(s => ReadService(s, context)).ToList();
        var batches = (batchesValue?.AsList("batch jobs") ?? []).Select(b => ReadBatch(b, context)).ToList();
        var podValues = podsValue?.AsList("pod groups").ToList() ?? [];
        var pods = podValues.Select(p => ReadPodGroup(p, context)).ToList();
        return new DatacenterSpec(hostGroups, topology, placement, admission, vms,
            services.Select(s => s.Spec).ToList(), batches.Select(b => b.Spec).ToList(), scrub, monitoring, mttf,
            [.. engines.Values], dc.Optional("container_placement")?.AsChoice(Placements) ?? PlacementRule.FirstFit, pods);
    }

    /// <summary>What the datacenter sections declare, for the sections that refer to it.</summary>
    internal sealed record Context(
        IReadOnlyDictionary<string, VmImage> Images,
        IReadOnlyList<HostGroupSpec> Hosts,
        IReadOnlyDictionary<string, ContainerImage> ContainerImages,
        IReadOnlyDictionary<string, EngineGroupSpec> Engines);

    private static Dictionary<string, ContainerImage> ReadContainerImages(YamlValue? value)
    {
        var images = new Dictionary<string, ContainerImage>(StringComparer.Ordinal);
        foreach (var imageValue in value?.AsList("container images") ?? [])
        {
            var c = imageValue.AsSection("name", "base", "steps", "kernel", "isa");
            var nameValue = c.Required("name", "lamp");
            string name = nameValue.AsName();
            ContainerImage? baseImage = null;
            if (c.Optional("base") is { } baseValue)
            {
                string baseName = baseValue.AsText();
                if (!images.TryGetValue(baseName, out baseImage))
                {
                    throw baseValue.Error($"no container image named '{baseName}' above this one (a base must be declared first)");
                }
            }
            var stepsValue = c.Required("steps", "[{run: \"FROM debian:12\", size: 50MB}]");
            var steps = stepsValue.AsList("build steps").Select(stepValue =>
            {
                var step = stepValue.AsSection("run", "size");
                return new BuildStep(step.Required("run", "\"RUN apt-get install apache2\"").AsText(), step.Required("size", "30MB").AsSize());
            }).ToList();
            int layers = (baseImage?.Layers.Count ?? 0) + steps.Count;
            if (layers > ContainerImage.MaxLayers)
            {
                throw stepsValue.Error($"the image would have {layers} layers{(baseImage is null ? "" : $" ({baseImage.Layers.Count} from its base)")}; "
                    + $"Docker's overlay2 driver stacks at most {ContainerImage.MaxLayers} image layers (squash steps, or build from a smaller base)");
            }
            var image = ContainerImage.Build(name, baseImage, steps,
                c.Optional("kernel")?.AsText() ?? "linux", c.Optional("isa")?.AsText() ?? "x86_64");
            if (!images.TryAdd(name, image))
            {
                throw nameValue.Error($"a container image named '{name}' is declared twice");
            }
        }
        return images;
    }

    private static (EngineGroupSpec Group, YamlValue Name) ReadEngineGroup(YamlValue value, IReadOnlyDictionary<string, VmImage> images,
        IReadOnlyList<HostGroupSpec> hosts)
    {
        var e = value.AsSection("name", "engine", "host_group", "vm", "count", "max", "scale_down_after", "layer_cache", "kernel");
        var nameValue = e.Required("name", "nodes");
        var profile = e.Optional("engine") is { } engineValue ? ReadEngine(engineValue) : EngineProfile.Docker;
        var hostGroupValue = e.Optional("host_group");
        var vmValue = e.Optional("vm");
        double cache = e.Optional("layer_cache")?.AsSize() ?? 20e9;
        if ((hostGroupValue is null) == (vmValue is null))
        {
            throw value.Error("expected either host_group (engines on bare-metal hosts) or vm (engines in VMs)");
        }
        if (hostGroupValue is not null)
        {
            string group = hostGroupValue.AsText();
            var members = hosts.Where(h => h.Host.Group == group).ToList();
            if (members.Count == 0)
            {
                throw hostGroupValue.UnknownName("host group", group, hosts.Select(h => h.Host.Group), "datacenter.hosts");
            }
            e.AllowOnly(["name", "engine", "host_group", "layer_cache", "kernel"]);
            return (new EngineGroupSpec(nameValue.AsName(), profile, group, null, 0, 0, double.PositiveInfinity, cache,
                e.Optional("kernel")?.AsText() ?? "linux"), nameValue);
        }
        e.AllowOnly(["name", "engine", "vm", "count", "max", "scale_down_after", "layer_cache"]);
        var vm = ReadVm(vmValue!.AsSection(VmKeys), nameValue.AsName(), images, hosts);
        int count = (int)(e.Optional("count")?.AsInteger(0, 1_000_000) ?? 1);
        int max = (int)(e.Optional("max")?.AsInteger(0, 1_000_000) ?? count);
        return (new EngineGroupSpec(nameValue.AsName(), profile, null, vm, count, max,
            e.Optional("scale_down_after")?.AsDuration(allowZero: false) ?? 600, cache), nameValue);
    }

    private static EngineProfile ReadEngine(YamlValue value)
    {
        if (value.Node is not YamlDotNet.RepresentationModel.YamlMappingNode)
        {
            return value.AsChoice(Engines);
        }
        var e = value.AsSection("name", "start", "max_downloads", "unpack_rate");
        var known = e.Required("name", "docker").AsChoice(Engines);
        return known with
        {
            ContainerStartSeconds = e.Optional("start")?.AsDuration(allowZero: true) ?? known.ContainerStartSeconds,
            MaxConcurrentDownloads = (int)(e.Optional("max_downloads")?.AsInteger(1, 1000) ?? known.MaxConcurrentDownloads),
            UnpackRate = e.Optional("unpack_rate")?.AsBandwidth() ?? known.UnpackRate,
        };
    }

    /// <summary>A deployment's VM, as a service's <c>vm</c> section describes it.</summary>
    internal static VmSpec ReadDeploymentVm(YamlValue vmValue, string name, Context context) =>
        ReadVm(vmValue.AsSection(VmKeys), name, context.Images, context.Hosts);

    /// <summary>A deployment's pod, as a service's <c>pod</c> section describes it.</summary>
    internal static (PodSpec Pod, string EngineGroup) ReadDeploymentPod(YamlValue podValue, string name, Context context) =>
        ReadPod(podValue, name, context, mainProcessesAllowed: false);

    internal static readonly IReadOnlyDictionary<string, Balancing> BalancingChoices = Balancings;

    private static (PodSpec Pod, string EngineGroup) ReadPod(YamlValue value, string defaultName, Context context, bool mainProcessesAllowed,
        Distribution? taskWork = null, string[]? extraKeys = null)
    {
        var p = value.AsSection(["name", "engines", "containers", .. extraKeys ?? []]);
        var enginesValue = p.Required("engines", "nodes");
        string engineGroup = enginesValue.AsText();
        if (!context.Engines.ContainsKey(engineGroup))
        {
            throw enginesValue.UnknownName("engine group", engineGroup, context.Engines.Keys, "datacenter.engines");
        }
        var containersValue = p.Required("containers", "[{name: web, image: lamp, cpu: 1, memory: 512MiB}]");
        var containers = new List<ContainerSpec>();
        foreach (var containerValue in containersValue.AsList("containers"))
        {
            var c = containerValue.AsSection("name", "image", "cpu", "memory", "ports", "run", "role");
            var imageValue = c.Required("image", "lamp");
            string imageName = imageValue.AsText();
            if (!context.ContainerImages.TryGetValue(imageName, out var image))
            {
                throw imageValue.UnknownName("container image", imageName, context.ContainerImages.Keys, "container_images");
            }
            var ports = (c.Optional("ports")?.AsList("ports") ?? []).Select(v => (int)v.AsInteger(1, 65535)).ToList();
            Distribution? main = null;
            if (c.Optional("run") is { } runValue)
            {
                if (!mainProcessesAllowed)
                {
                    throw runValue.Error("a service's containers serve requests until stopped: run (a finite main process) belongs to pods and batches");
                }
                main = runValue.AsDurationOrDistribution();
            }
            else if (taskWork is not null && containers.Count == 0)
            {
                main = taskWork;
            }
            bool backendRole = c.Optional("role")?.AsChoice(new Dictionary<string, bool>(StringComparer.Ordinal)
            {
                ["backend"] = true,
                ["main"] = false,
            }) ?? false;
            containers.Add(new ContainerSpec(c.Optional("name")?.AsName() ?? imageName, image,
                c.Required("cpu", "1").AsNumber(0, 100_000, minExclusive: true), c.Required("memory", "512MiB").AsSize(allowZero: false), ports, main, backendRole));
        }
        return (new PodSpec(p.Optional("name")?.AsName() ?? defaultName, containers), engineGroup);
    }

    private static PodGroupSpec ReadPodGroup(YamlValue value, Context context)
    {
        var g = value.AsSection("name", "engines", "containers", "count", "start_at", "interval");
        var (pod, engineGroup) = ReadPod(value, "pods", context, mainProcessesAllowed: true, extraKeys: ["count", "start_at", "interval"]);
        return new PodGroupSpec(pod, engineGroup,
            (int)(g.Optional("count")?.AsInteger(1, 10_000_000) ?? 1),
            g.Optional("start_at")?.AsDuration(allowZero: true) ?? 0,
            g.Optional("interval")?.AsDuration(allowZero: true) ?? 0);
    }

    private static TopologySpec ReadNetwork(YamlValue value)
    {
        var net = value.AsSection("topology", "host_link", "repository_link", "gateway_link", "uplink", "hosts_per_rack", "spines");
        var kind = net.Optional("topology")?.AsChoice(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["star"] = "star",
            ["leaf-spine"] = "leaf-spine",
        }) ?? "star";
        var hostLink = ReadLink(net.Required("host_link", "{bandwidth: 10Gbps, latency: 50us, efficiency: 0.9}"));
        var repository = net.Optional("repository_link") is { } r ? ReadLink(r) : hostLink;
        var gateway = net.Optional("gateway_link") is { } g ? ReadLink(g) : hostLink;
        if (kind == "star")
        {
            net.AllowOnly(["topology", "host_link", "repository_link", "gateway_link"]);
            return new TopologySpec.Star(hostLink, repository, gateway);
        }
        var uplink = net.Optional("uplink") is { } u ? ReadLink(u) : hostLink;
        int perRack = (int)(net.Optional("hosts_per_rack")?.AsInteger(1, 100_000) ?? 20);
        int spines = (int)(net.Optional("spines")?.AsInteger(1, 1000) ?? 2);
        return new TopologySpec.LeafSpine(perRack, spines, hostLink, uplink, repository, gateway);
    }

    private static LinkSpec ReadLink(YamlValue value)
    {
        var link = value.AsSection("bandwidth", "latency", "efficiency");
        return new LinkSpec(
            link.Required("bandwidth", "10Gbps").AsBandwidth(),
            link.Optional("latency")?.AsDuration(allowZero: true) ?? 0,
            // Default 1: a scenario says how much of the nominal bandwidth carries payload.
            link.Optional("efficiency")?.AsNumber(0, 1, minExclusive: true) ?? 1);
    }

    private static (YamlValue Value, HostGroupSpec Spec) ReadHostGroup(YamlValue value)
    {
        var h = value.AsSection("group", "count", "cores", "core_speed", "memory", "disk", "disk_bandwidth", "image_cache",
            "isa", "hypervisor", "power", "price", "cpu_overcommit", "memory_overcommit");
        var groupValue = h.Required("group", "web");
        string group = groupValue.AsName();
        int count = (int)(h.Optional("count")?.AsInteger(1, 10_000_000) ?? 1);
        double disk = h.Required("disk", "1TB").AsSize(allowZero: false);
        double? cache = h.Optional("image_cache")?.AsSize();
        var spec = new HostSpec(
            group,
            (int)h.Required("cores", "16").AsInteger(1, 100_000),
            h.Optional("core_speed")?.AsNumber(0, 1000, minExclusive: true) ?? 1,
            h.Required("memory", "64GiB").AsSize(allowZero: false),
            disk,
            h.Required("disk_bandwidth", "500MB/s").AsBandwidth(),
            h.Optional("isa")?.AsText() ?? "x86_64",
            h.Optional("hypervisor") is { } hv ? ReadHypervisor(hv) : HypervisorSpec.Default(HypervisorKind.Type1),
            h.Optional("power") is { } p ? ReadPower(p) : PowerModel.Default,
            h.Optional("price")?.AsPrice() ?? 0,
            h.Optional("cpu_overcommit")?.AsNumber(1, 100) ?? 1,
            h.Optional("memory_overcommit")?.AsNumber(1, 100) ?? 1,
            cache);
        return (groupValue, new HostGroupSpec(spec, count));
    }

    private static HypervisorSpec ReadHypervisor(YamlValue value)
    {
        if (value.Node is not YamlDotNet.RepresentationModel.YamlMappingNode)
        {
            return HypervisorSpec.Default(value.AsChoice(Kinds));
        }
        var hv = value.AsSection("kind", "cpu_efficiency", "io_efficiency");
        var defaults = HypervisorSpec.Default(hv.Required("kind", "type1").AsChoice(Kinds));
        return defaults with
        {
            CpuEfficiency = hv.Optional("cpu_efficiency")?.AsNumber(0, 1, minExclusive: true) ?? defaults.CpuEfficiency,
            IoEfficiency = hv.Optional("io_efficiency")?.AsNumber(0, 1, minExclusive: true) ?? defaults.IoEfficiency,
        };
    }

    private static PowerModel ReadPower(YamlValue value)
    {
        var p = value.AsSection("idle", "peak");
        double idle = p.Required("idle", "100W").AsPower();
        return new PowerModel(idle, p.Required("peak", "300W").AsPower());
    }

    private static (VmImage Image, YamlValue Name) ReadImage(YamlValue value)
    {
        var i = value.AsSection("name", "size", "os", "isa", "provenance", "boot");
        if (i.Optional("provenance") is { } provenance)
        {
            // Refused rather than ignored: a key that changes nothing would make a user believe it does.
            throw provenance.Error("provenance is gone: how an image was made shows in what its VMs do after boot; give a VM provisioning (download, install) for a base image plus software, none for a snapshot");
        }
        var nameValue = i.Required("name", "ubuntu");
        var boot = BootSpec.Default;
        if (i.Optional("boot") is { } bootValue)
        {
            var b = bootValue.AsSection("loader", "os_read", "os_init");
            boot = new BootSpec(
                b.Optional("loader")?.AsDuration(allowZero: true) ?? boot.LoaderSeconds,
                b.Optional("os_read")?.AsSize() ?? boot.OsReadBytes,
                b.Optional("os_init")?.AsDuration(allowZero: true) ?? boot.OsInitSeconds);
        }
        var image = new VmImage(
            nameValue.AsName(),
            i.Required("size", "8GB").AsSize(allowZero: false),
            i.Optional("os")?.AsText() ?? "linux",
            i.Optional("isa")?.AsText() ?? "x86_64",
            boot);
        return (image, nameValue);
    }

    private static readonly string[] VmKeys = ["name", "image", "vcpus", "memory", "disk", "host_group", "price", "provisioning",
        "cpu_share", "disk_limit", "network_limit"];

    private static VmSpec ReadVm(YamlSection v, string defaultName, IReadOnlyDictionary<string, VmImage> images, IReadOnlyList<HostGroupSpec> hosts)
    {
        var imageValue = v.Required("image", "ubuntu");
        string imageName = imageValue.AsText();
        if (!images.TryGetValue(imageName, out var image))
        {
            throw imageValue.UnknownName("image", imageName, images.Keys, "images");
        }
        var provisioning = ProvisioningSpec.None;
        if (v.Optional("provisioning") is { } p)
        {
            var ps = p.AsSection("download", "install");
            provisioning = new ProvisioningSpec(ps.Optional("download")?.AsSize() ?? 0, ps.Optional("install")?.AsDuration(allowZero: true) ?? 0);
        }
        string? group = null;
        if (v.Optional("host_group") is { } groupValue)
        {
            group = groupValue.AsText();
            if (hosts.All(h => h.Host.Group != group))
            {
                throw groupValue.UnknownName("host group", group, hosts.Select(h => h.Host.Group), "datacenter.hosts");
            }
        }
        return new VmSpec(
            v.Optional("name")?.AsName() ?? defaultName,
            (int)v.Required("vcpus", "2").AsInteger(1, 100_000),
            v.Required("memory", "4GiB").AsSize(allowZero: false),
            v.Optional("disk")?.AsSize() ?? 10e9,
            image,
            provisioning,
            group,
            v.Optional("price")?.AsPrice() ?? 0,
            v.Optional("cpu_share")?.AsNumber(0, 1e6, minExclusive: true) ?? 1,
            v.Optional("disk_limit")?.AsBandwidth() ?? double.PositiveInfinity,
            v.Optional("network_limit")?.AsBandwidth() ?? double.PositiveInfinity);
    }

    private static VmGroupSpec ReadVmGroup(YamlValue value, IReadOnlyDictionary<string, VmImage> images, IReadOnlyList<HostGroupSpec> hosts)
    {
        var v = value.AsSection([.. VmKeys, "count", "interval", "lifetime"]);
        var vm = ReadVm(v, "vm", images, hosts);
        return new VmGroupSpec(vm,
            (int)(v.Optional("count")?.AsInteger(1, 10_000_000) ?? 1),
            v.Optional("interval")?.AsDuration(allowZero: true) ?? 0,
            v.Optional("lifetime")?.AsDuration(allowZero: false));
    }

    private static (YamlValue Value, ServiceSpec Spec) ReadService(YamlValue value, Context context)
    {
        var s = value.AsSection("name", "arrivals", "request", "replicas", "balancing", "vm", "pod", "call", "backend");
        var nameValue = s.Required("name", "api");
        string name = nameValue.AsName();
        var interarrival = ScenarioLoader.ReadArrivals(s.Required("arrivals", "{rate: 50/s}"));
        var r = s.Required("request", "{cpu: 20ms, disk: 64KB, network: 100KB}").AsSection("cpu", "disk", "network");
        var request = new RequestSpec(
            r.Required("cpu", "20ms").AsDurationOrDistribution(),
            r.Optional("disk")?.AsSize() ?? 0,
            r.Optional("network")?.AsSize() ?? 0);
        int replicas = (int)(s.Optional("replicas")?.AsInteger(1, 1_000_000) ?? 1);
        var balancing = s.Optional("balancing")?.AsChoice(Balancings) ?? Balancing.RoundRobin;
        CallSpec? call = null;
        if (s.Optional("call") is { } callValue)
        {
            var c = callValue.AsSection("cpu", "request", "reply");
            call = new CallSpec(c.Required("cpu", "5ms").AsDurationOrDistribution(), c.Optional("request")?.AsSize() ?? 0, c.Optional("reply")?.AsSize() ?? 0);
        }
        if (s.Optional("pod") is { } podValue)
        {
            if (s.Optional("vm") is { } both)
            {
                throw both.Error("expected either vm or pod, not both");
            }
            var (pod, engines) = ReadPod(podValue, name, context, mainProcessesAllowed: false);
            BackendSpec? backend = null;
            if (s.Optional("backend") is { } backendValue)
            {
                var b = backendValue.AsSection("replicas", "pod");
                var (backendPod, backendEngines) = ReadPod(b.Required("pod", "{engines: nodes, containers: [{image: db, cpu: 1, memory: 1GiB}]}"),
                    name + "-backend", context, mainProcessesAllowed: false);
                backend = new BackendSpec(backendPod, backendEngines, (int)(b.Optional("replicas")?.AsInteger(1, 1_000_000) ?? 1));
            }
            bool inPod = pod.Containers.Any(c => c.IsBackend);
            if (call is null && (backend is not null || inPod))
            {
                throw (s.Optional("backend") ?? podValue).Error("a backend needs a call: say what each request asks of it (call: {cpu: 5ms, request: 10KB, reply: 50KB})");
            }
            if (call is not null && inPod == (backend is not null))
            {
                throw s.Optional("call")!.Error(inPod
                    ? "expected the call to go either to the pod's backend container or to a backend section, not both"
                    : "a call needs a backend: a container of the pod with role: backend (IPC), or a backend section (separate pods)");
            }
            return (nameValue, new ServiceSpec(name, interarrival, request, null, replicas, balancing, pod, engines, call, backend));
        }
        if (s.Optional("call") is { } vmCall)
        {
            throw vmCall.Error("calls to a backend are modelled for services in pods; deploy this one with pod:");
        }
        var vmValue = s.Required("vm", "{image: ubuntu, vcpus: 2, memory: 4GiB}");
        var vm = ReadVm(vmValue.AsSection(VmKeys), name, context.Images, context.Hosts);
        return (nameValue, new ServiceSpec(name, interarrival, request, vm, replicas, balancing));
    }

    private static (YamlValue Value, BatchSpec Spec) ReadBatch(YamlValue value, Context context)
    {
        var b = value.AsSection("name", "tasks", "task_cpu", "replicas", "vm", "pod");
        var nameValue = b.Required("name", "render");
        string name = nameValue.AsName();
        int tasks = (int)b.Required("tasks", "1000").AsInteger(1, 100_000_000);
        var taskCpu = b.Required("task_cpu", "10s").AsDurationOrDistribution();
        if (b.Optional("pod") is { } podValue)
        {
            if (b.Optional("vm") is { } both)
            {
                throw both.Error("expected either vm or pod, not both");
            }
            b.AllowOnly(["name", "tasks", "task_cpu", "pod"]);
            // One pod per task; its first container's main process is the task.
            var (pod, engines) = ReadPod(podValue, name, context, mainProcessesAllowed: true, taskWork: taskCpu);
            return (nameValue, new BatchSpec(name, tasks, taskCpu, null, 0, pod, engines));
        }
        var vmValue = b.Required("vm", "{image: ubuntu, vcpus: 2, memory: 4GiB}");
        var vm = ReadVm(vmValue.AsSection(VmKeys), name, context.Images, context.Hosts);
        return (nameValue, new BatchSpec(name, tasks, taskCpu, vm, (int)(b.Optional("replicas")?.AsInteger(1, 10_000_000) ?? 1)));
    }
}
