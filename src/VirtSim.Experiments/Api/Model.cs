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

/// <summary>
/// Bad input to the API: one line saying which value and what was expected. It is shown as that
/// line alone (no stack trace: the mistake is in the input, not in the code that found it), so a
/// notebook's student reads what to fix rather than a trace of the simulator's insides.
/// </summary>
public sealed class ModelException(string message) : Exception(message)
{
    /// <inheritdoc />
    public override string StackTrace => "";

    /// <inheritdoc />
    public override string ToString() => Message;
}

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
