using System.Globalization;
using System.Text;
using System.Text.Json;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Api;

// A C# front to the scenario model, for notebooks and programs. Every builder writes the part of a
// scenario document it stands for, and a comparison is read through the same reader as a file:
// the C# user gets the YAML user's model, its defaults and every one of its checks, and
// `Compare.Document` shows the file that would do the same from the command line. Quantities
// are written as in files ("4GiB", "40/s", "25ms"); an argument left null takes the model's default.

/// <summary>A group of identical hosts.</summary>
public sealed record HostGroup(string Name, IReadOnlyDictionary<string, object> Fields);

/// <summary>A VM image.</summary>
public sealed record VmImageDefinition(string Name, string Size);

/// <summary>A container image built from layers.</summary>
public sealed record ContainerImageDefinition(string Name, IReadOnlyList<(string Run, string Size)> Steps);

/// <summary>What arrives and what each request does.</summary>
public sealed record WorkloadDefinition(IReadOnlyDictionary<string, object> Arrivals, IReadOnlyDictionary<string, object> Request);

/// <summary>How the workload runs: on VMs, in pods, or as a function.</summary>
public sealed record Deployment(string Name, string Kind, IReadOnlyDictionary<string, object> Fields, object? Image = null, string? HostGroup = null);

/// <summary>The network: a star of links from every host to a core switch.</summary>
public sealed record NetworkDefinition(IReadOnlyDictionary<string, object> HostLink);

/// <summary>Networks.</summary>
public static class Net
{
    /// <summary>
    /// Every host, the image repository and the gateway on a link of <paramref name="bandwidth"/>
    /// (<c>"10Gbps"</c>) to one switch, with <paramref name="latency"/> and the share of the
    /// bandwidth that carries payload (<paramref name="efficiency"/>, 0 to 1).
    /// </summary>
    public static NetworkDefinition Star(string bandwidth, string? latency = null, double? efficiency = null)
    {
        var link = new Dictionary<string, object> { ["bandwidth"] = bandwidth };
        Fields.Put(link, "latency", latency);
        Fields.Put(link, "efficiency", efficiency);
        return new NetworkDefinition(link);
    }
}

/// <summary>Bad input to the API: one line saying which value and what was expected.</summary>
public sealed class ModelException(string message) : Exception(message);

/// <summary>Host groups.</summary>
public static class Hosts
{
    /// <summary>
    /// <paramref name="count"/> hosts of <paramref name="cores"/> cores, <paramref name="memory"/>
    /// (<c>"64GiB"</c>), a disk of <paramref name="disk"/> read at <paramref name="diskBandwidth"/>,
    /// running <paramref name="hypervisor"/> (<c>type1</c>, <c>type2</c>, <c>emulator</c>, or
    /// <c>none</c> for bare metal, where container engines run).
    /// </summary>
    public static HostGroup Group(string name, int count, int cores, string memory, string disk = "1TB", string diskBandwidth = "500MB/s",
        string? hypervisor = null, string? price = null, string? power = null)
    {
        var fields = new Dictionary<string, object> { ["group"] = name, ["count"] = count, ["cores"] = cores, ["memory"] = memory, ["disk"] = disk, ["disk_bandwidth"] = diskBandwidth };
        Fields.Put(fields, "hypervisor", hypervisor);
        Fields.Put(fields, "price", price);
        if (power is not null)
        {
            var watts = power.Split(['-', '/'], StringSplitOptions.TrimEntries);
            fields["power"] = watts.Length == 2
                ? new Dictionary<string, object> { ["idle"] = watts[0], ["peak"] = watts[1] }
                : throw new ModelException($"power: expected idle and peak such as \"100W-300W\", not '{power}'");
        }
        return new HostGroup(name, fields);
    }

}

/// <summary>Writing a scenario document's fields: an argument left null is left out, so the model's default applies.</summary>
internal static class Fields
{
    public static void Put(Dictionary<string, object> fields, string key, object? value)
    {
        if (value is not null)
        {
            fields[key] = value;
        }
    }

    /// <summary>The header every scenario document shares.</summary>
    public static Dictionary<string, object> Header(string name, string duration, string? warmup, int? replications, ulong? seed)
    {
        var root = new Dictionary<string, object> { ["name"] = name, ["duration"] = duration };
        Put(root, "warmup", warmup);
        Put(root, "replications", replications);
        Put(root, "seed", seed);
        return root;
    }

    /// <summary>
    /// A time written as <c>"25ms"</c> (a constant) or <c>"25ms exponential"</c> (a distribution of
    /// that mean); a constant is a mapping where the reader wants one (<paramref name="constantAsMapping"/>).
    /// </summary>
    public static object Duration(string what, string text, bool constantAsMapping)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            1 when constantAsMapping => new Dictionary<string, object> { ["distribution"] = "deterministic", ["value"] = parts[0] },
            1 => parts[0],
            2 => new Dictionary<string, object> { ["distribution"] = parts[1], ["mean"] = parts[0] },
            _ => throw new ModelException($"{what}: expected a duration such as \"25ms\" or \"25ms exponential\", not '{text}'"),
        };
    }

    /// <summary>The settings of a function a call may leave out (null: the model's default).</summary>
    public static Dictionary<string, object> Function(string? memory, string? keepAlive, string? timeout, string? runtimeInit,
        string? functionInit, int? concurrency)
    {
        var function = new Dictionary<string, object>();
        Put(function, "memory", memory);
        Put(function, "keep_alive", keepAlive);
        Put(function, "timeout", timeout);
        Put(function, "runtime_init", runtimeInit);
        Put(function, "function_init", functionInit);
        Put(function, "concurrency", concurrency);
        return function;
    }
}

/// <summary>Images.</summary>
public static class Image
{
    /// <summary>A VM image of <paramref name="size"/> (<c>"4GB"</c>).</summary>
    public static VmImageDefinition Vm(string name, string size) => new(name, size);

    /// <summary>
    /// A container image from its build steps, each written as the instruction then the size of the
    /// layer it adds: <c>Image.Layers("api", "FROM node:22-slim 200MB", "COPY api 30MB")</c>.
    /// </summary>
    public static ContainerImageDefinition Layers(string name, params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var layers = new List<(string, string)>();
        foreach (string step in steps)
        {
            int cut = step.TrimEnd().LastIndexOf(' ');
            if (cut <= 0)
            {
                throw new ModelException($"image '{name}': expected a step such as \"COPY api 30MB\" (the instruction, then the layer's size), not '{step}'");
            }
            layers.Add((step[..cut].Trim(), step[(cut + 1)..].Trim()));
        }
        return new ContainerImageDefinition(name, layers);
    }
}

/// <summary>Workloads.</summary>
public static class Workload
{
    /// <summary>
    /// Poisson arrivals at <paramref name="rate"/> (<c>"40/s"</c>); each request does
    /// <paramref name="cpu"/> of work (<c>"25ms"</c>, or <c>"25ms exponential"</c> for a
    /// distribution of that mean), reads <paramref name="disk"/> and sends <paramref name="network"/>.
    /// </summary>
    public static WorkloadDefinition Poisson(string rate, string cpu, string? disk = null, string? network = null) =>
        new(new Dictionary<string, object> { ["rate"] = rate }, Request(cpu, disk, network));

    /// <summary>A job of <paramref name="requests"/> requests sent at once, each as in <see cref="Poisson"/>.</summary>
    public static WorkloadDefinition Job(long requests, string cpu, string? disk = null, string? network = null) =>
        new(new Dictionary<string, object> { ["requests"] = requests }, Request(cpu, disk, network));

    private static Dictionary<string, object> Request(string cpu, string? disk, string? network)
    {
        var request = new Dictionary<string, object> { ["cpu"] = Fields.Duration("cpu", cpu, constantAsMapping: false) };
        Fields.Put(request, "disk", disk);
        Fields.Put(request, "network", network);
        return request;
    }
}

/// <summary>Deployments.</summary>
public static class Deploy
{
    /// <summary><paramref name="replicas"/> VMs of <paramref name="image"/> behind a load balancer.</summary>
    public static Deployment OnVms(int replicas, VmImageDefinition image, int vcpus, string memory, string? hostGroup = null, string name = "vms")
    {
        var vm = new Dictionary<string, object> { ["image"] = image.Name, ["vcpus"] = vcpus, ["memory"] = memory };
        Fields.Put(vm, "host_group", hostGroup);
        return new Deployment(name, "vm", new Dictionary<string, object> { ["replicas"] = replicas, ["vm"] = vm }, image, hostGroup);
    }

    /// <summary>
    /// <paramref name="replicas"/> pods of one container of <paramref name="image"/>, on the
    /// container engines of a bare-metal host group (<paramref name="hostGroup"/>, or the first one).
    /// </summary>
    public static Deployment InPods(int replicas, ContainerImageDefinition image, double cpu, string memory, string? hostGroup = null, string name = "containers") =>
        new(name, "pod", new Dictionary<string, object>
        {
            ["replicas"] = replicas,
            ["pod"] = new Dictionary<string, object>
            {
                ["containers"] = new object[] { new Dictionary<string, object> { ["image"] = image.Name, ["cpu"] = cpu, ["memory"] = memory } },
            },
        }, image, hostGroup);

    /// <summary>A function on the provider's platform, billed per use.</summary>
    public static Deployment AsFunction(string? memory = null, string? keepAlive = null, string? timeout = null, string? runtimeInit = null,
        string? functionInit = null, int? concurrency = null, string name = "functions") =>
        new(name, "function", new Dictionary<string, object> { ["function"] = Fields.Function(memory, keepAlive, timeout, runtimeInit, functionInit, concurrency) });

    /// <summary>
    /// A function on the datacenter's own container engines (a bare-metal host group): each
    /// instance a container of <paramref name="baseImage"/> plus <paramref name="code"/>.
    /// </summary>
    public static Deployment SelfHosted(ContainerImageDefinition baseImage, string code = "5MB", string? memory = null, string? keepAlive = null,
        string? timeout = null, string? runtimeInit = null, string? functionInit = null, int? concurrency = null, double? vcpus = null,
        string? hostGroup = null, string name = "self-hosted")
    {
        var function = Fields.Function(memory, keepAlive, timeout, runtimeInit, functionInit, concurrency);
        function["base_image"] = baseImage.Name;
        function["code"] = code;
        Fields.Put(function, "vcpus", vcpus);
        return new Deployment(name, "function", new Dictionary<string, object> { ["function"] = function }, baseImage, hostGroup);
    }

}

/// <summary>Comparisons: one workload under several deployments on the same hosts.</summary>
public static class Compare
{
    /// <summary>
    /// The comparison as a scenario file would write it (JSON, which is YAML): save it and
    /// <c>virtsim compare</c> runs the same comparison from the command line.
    /// </summary>
    public static string Document(IReadOnlyList<HostGroup> hosts, WorkloadDefinition workload, IReadOnlyList<Deployment> deployments,
        string duration = "1h", string? warmup = null, int? replications = null, ulong? seed = null, NetworkDefinition? network = null,
        string name = "comparison", string? description = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(deployments);
        var root = Fields.Header(name, duration, warmup, replications, seed);
        Fields.Put(root, "description", description);
        var compare = Hardware(root, hosts, deployments, network);
        root["workload"] = new Dictionary<string, object> { ["arrivals"] = workload.Arrivals, ["request"] = workload.Request };
        root["compare"] = compare;
        return Json(root);
    }

    /// <summary>
    /// Writes the datacenter (hosts, network, the container engines the deployments need) and
    /// the images into <paramref name="root"/>; returns each deployment's fields, its pods and
    /// self-hosted functions pointed at their engines.
    /// </summary>
    internal static List<object> Hardware(Dictionary<string, object> root, IReadOnlyList<HostGroup> hosts, IReadOnlyList<Deployment> deployments,
        NetworkDefinition? network)
    {
        var engines = new List<object>();
        var containerImages = new Dictionary<string, object>();
        var compare = new List<object>();
        foreach (var deployment in deployments)
        {
            var fields = new Dictionary<string, object>(deployment.Fields) { ["name"] = deployment.Name };
            if (deployment.Image is ContainerImageDefinition image)
            {
                // Pods and self-hosted functions run on the engines of a bare-metal host group.
                string group = deployment.HostGroup ?? hosts.FirstOrDefault(h => Equals(h.Fields.GetValueOrDefault("hypervisor"), "none"))?.Name
                    ?? throw new ModelException($"deployment '{deployment.Name}': containers run on a host group with hypervisor: \"none\"; give one to Hosts.Group");
                string engineGroup = $"{group}-engines";
                if (!engines.OfType<Dictionary<string, object>>().Any(e => Equals(e["name"], engineGroup)))
                {
                    engines.Add(new Dictionary<string, object> { ["name"] = engineGroup, ["engine"] = "containerd", ["host_group"] = group });
                }
                containerImages[image.Name] = new Dictionary<string, object>
                {
                    ["name"] = image.Name,
                    ["steps"] = image.Steps.Select(s => (object)new Dictionary<string, object> { ["run"] = s.Run, ["size"] = s.Size }).ToList(),
                };
                if (fields.GetValueOrDefault("pod") is Dictionary<string, object> pod)
                {
                    pod["engines"] = engineGroup;
                }
                else if (fields.GetValueOrDefault("function") is Dictionary<string, object> function)
                {
                    function["engines"] = engineGroup;
                }
            }
            compare.Add(fields);
        }
        var datacenter = new Dictionary<string, object>
        {
            ["network"] = new Dictionary<string, object> { ["topology"] = "star", ["host_link"] = (network ?? DefaultNetwork).HostLink },
            ["hosts"] = hosts.Select(h => (object)h.Fields).ToList(),
        };
        if (engines.Count > 0)
        {
            datacenter["engines"] = engines;
        }
        root["datacenter"] = datacenter;
        var vmImages = deployments.Select(d => d.Image).OfType<VmImageDefinition>().DistinctBy(i => i.Name).ToList();
        if (vmImages.Count > 0)
        {
            root["images"] = vmImages.Select(i => (object)new Dictionary<string, object> { ["name"] = i.Name, ["size"] = i.Size }).ToList();
        }
        if (containerImages.Count > 0)
        {
            root["container_images"] = containerImages.Values.ToList();
        }
        return compare;
    }

    /// <summary>The network when none is given: 10 Gb/s host links (assumed: today's common datacenter host link), no latency, full efficiency.</summary>
    public static NetworkDefinition DefaultNetwork { get; } = Net.Star("10Gbps");

    /// <summary>The comparison, read and checked as a file would be.</summary>
    public static Comparison Build(IReadOnlyList<HostGroup> hosts, WorkloadDefinition workload, IReadOnlyList<Deployment> deployments,
        string duration = "1h", string? warmup = null, int? replications = null, ulong? seed = null, NetworkDefinition? network = null,
        string name = "comparison", string? description = null) =>
        Parse(Document(hosts, workload, deployments, duration, warmup, replications, seed, network, name, description));

    /// <summary>Builds and runs the comparison; every deployment sees the same arrivals.</summary>
    public static ComparisonResult Run(IReadOnlyList<HostGroup> hosts, WorkloadDefinition workload, IReadOnlyList<Deployment> deployments,
        string duration = "1h", string? warmup = null, int? replications = null, ulong? seed = null, NetworkDefinition? network = null,
        string name = "comparison", string? description = null) =>
        ComparisonRunner.Run(Build(hosts, workload, deployments, duration, warmup, replications, seed, network, name, description), new RunOptions(Timeline: true));

    /// <summary>A comparison from its YAML <paramref name="text"/>; a mistake is one line naming the value and what was expected.</summary>
    public static Comparison Parse(string text)
    {
        try
        {
            return ComparisonReader.Parse("comparison", text);
        }
        catch (ScenarioException e)
        {
            throw new ModelException(e.Problem);
        }
    }

    /// <summary>The comparison's table as Markdown, each cell a mean ± the half-width of its 95% interval.</summary>
    public static string Table(this ComparisonResult result) => ComparisonWriter.Markdown(result);

    /// <summary>The start-up timeline of the first replication (VM phases, pod pulls, cold starts); null when nothing started.</summary>
    public static ScottPlot.Plot? StartupTimeline(this ComparisonResult result) => ComparisonPlots.StartupTimeline(result);

    /// <summary>The mean of <paramref name="measure"/> for the deployment named <paramref name="deployment"/>.</summary>
    public static double Mean(this ComparisonResult result, ComparisonMeasure measure, string deployment)
    {
        ArgumentNullException.ThrowIfNull(result);
        int index = result.Comparison.Deployments.ToList().FindIndex(d => d.Name == deployment);
        if (index < 0)
        {
            throw new ModelException($"no deployment named '{deployment}' (deployments: {string.Join(", ", result.Comparison.Deployments.Select(d => d.Name))})");
        }
        return result.Row(measure).Values[index].Mean;
    }

    internal static string Json(object value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(json, value);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    Write(json, item);
                }
                json.WriteEndObject();
                break;
            case IEnumerable<object> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    Write(json, item);
                }
                json.WriteEndArray();
                break;
            // Everything is written as text, as a file's scalars are: the reader parses it with units.
            case IFormattable number:
                json.WriteStringValue(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}

/// <summary>A function of a functions-only scenario.</summary>
public sealed record FunctionDefinition(IReadOnlyDictionary<string, object> Fields);

/// <summary>Single scenarios: a queueing station, or functions on the provider's platform.</summary>
public static class Scenarios
{
    /// <summary>
    /// A queueing station of <paramref name="servers"/> servers: Poisson arrivals at
    /// <paramref name="rate"/> (<c>"0.8/s"</c>), service times of <paramref name="service"/>
    /// (<c>"1s exponential"</c>, <c>"1s"</c> for a constant), first come first served or
    /// <c>"ps"</c> (processor sharing), at most <paramref name="capacity"/> customers if given.
    /// </summary>
    public static Scenario Station(int servers, string rate, string service, string? discipline = null, int? capacity = null,
        string duration = "1h", string? warmup = null, int? replications = null, ulong? seed = null, string name = "station")
    {
        var station = new Dictionary<string, object>
        {
            ["servers"] = servers,
            ["arrivals"] = new Dictionary<string, object> { ["rate"] = rate },
            ["service"] = Fields.Duration("service", service, constantAsMapping: true),
        };
        Fields.Put(station, "discipline", discipline);
        Fields.Put(station, "capacity", capacity);
        return Parse(Compare.Json(Model(name, duration, warmup, replications, seed, "station", station)));
    }

    /// <summary>
    /// A function called at <paramref name="rate"/> (Poisson, <c>"2/s"</c>) that runs for
    /// <paramref name="duration"/> (<c>"300ms exponential"</c>); the rest takes the model's defaults.
    /// </summary>
    public static FunctionDefinition Function(string name, string rate, string duration, string? memory = null, string? keepAlive = null,
        string? timeout = null, string? runtimeInit = null, string? functionInit = null, int? concurrency = null, int? provisioned = null)
    {
        var function = Fields.Function(memory, keepAlive, timeout, runtimeInit, functionInit, concurrency);
        function["name"] = name;
        function["arrivals"] = new Dictionary<string, object> { ["rate"] = rate };
        function["duration"] = Fields.Duration("duration", duration, constantAsMapping: false);
        Fields.Put(function, "provisioned", provisioned);
        return new FunctionDefinition(function);
    }

    /// <summary>Functions on the provider's platform, with no hardware of the user's own.</summary>
    public static Scenario Functions(IReadOnlyList<FunctionDefinition> functions, string duration = "1h", string? warmup = null,
        int? replications = null, ulong? seed = null, string name = "functions")
    {
        ArgumentNullException.ThrowIfNull(functions);
        return Parse(Compare.Json(Model(name, duration, warmup, replications, seed, "functions", functions.Select(f => (object)f.Fields).ToList())));
    }

    /// <summary>
    /// A datacenter of <paramref name="hosts"/> running one service: <paramref name="workload"/>
    /// (<see cref="Workload.Poisson"/>) served by <paramref name="deployment"/>
    /// (<see cref="Deploy.OnVms"/> or <see cref="Deploy.InPods"/>) behind a load balancer. Its
    /// metrics are prefixed <paramref name="service"/> (<c>api.response_time_mean</c>).
    /// </summary>
    public static Scenario Service(IReadOnlyList<HostGroup> hosts, WorkloadDefinition workload, Deployment deployment, string service = "api",
        string duration = "1h", string? warmup = null, int? replications = null, ulong? seed = null, NetworkDefinition? network = null,
        string name = "service")
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Kind is not ("vm" or "pod"))
        {
            throw new ModelException($"a service runs on VMs (Deploy.OnVms) or in pods (Deploy.InPods); for a function use Scenarios.Functions");
        }
        var root = Fields.Header(name, duration, warmup, replications, seed);
        var fields = (Dictionary<string, object>)Compare.Hardware(root, hosts, [deployment], network)[0];
        fields["name"] = service;
        fields["arrivals"] = workload.Arrivals;
        fields["request"] = workload.Request;
        root["services"] = new List<object> { fields };
        return Parse(Compare.Json(root));
    }

    private static Dictionary<string, object> Model(string name, string duration, string? warmup, int? replications, ulong? seed, string key, object model)
    {
        var root = Fields.Header(name, duration, warmup, replications, seed);
        root[key] = model;
        return root;
    }

    /// <summary>A scenario from its YAML <paramref name="text"/>; a mistake is one line naming the value and what was expected.</summary>
    public static Scenario Parse(string text)
    {
        try
        {
            return ScenarioLoader.Parse("scenario", text);
        }
        catch (ScenarioException e)
        {
            throw new ModelException(e.Problem);
        }
    }

    /// <summary>Runs <paramref name="scenario"/>'s replications (or <paramref name="replications"/>).</summary>
    public static RunResult Run(this Scenario scenario, int? replications = null) =>
        ExperimentRunner.Run(scenario, new RunOptions(Replications: replications));

    /// <summary>The mean across replications of <paramref name="metric"/>; one the run did not measure is an error.</summary>
    public static double Mean(this RunResult result, VirtSim.Datacenter.Metrics.MetricKey metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        string name = metric.Name;
        return (result.Summary.FirstOrDefault(m => m.Name == name)
            ?? throw new ModelException($"the run did not measure {name} (it measured {string.Join(", ", result.Summary.Select(m => m.Name))})")).Interval.Mean;
    }


}
