using VirtSim.Datacenter;
using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Serverless;
using VirtSim.Datacenter.Workload;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Scenarios;

/// <summary>One workload under several deployments on the same hardware: what <c>virtsim compare</c> runs.</summary>
/// <param name="Name">Name of the comparison.</param>
/// <param name="Description">What it shows.</param>
/// <param name="Deployments">Each deployment as a scenario of its own, in the file's order.</param>
/// <param name="SweepRates">Arrival rates (per second) to repeat the comparison at, in increasing order; empty for none.</param>
/// <param name="JobRequests">For a job: the requests it sends in all; null for an endless workload.</param>
public sealed record Comparison(string Name, string Description, IReadOnlyList<(string Name, string Kind, Scenario Scenario)> Deployments,
    IReadOnlyList<double>? SweepRates = null, long? JobRequests = null);

/// <summary>
/// Reads a comparison file: the usual header, the shared hardware (<c>datacenter</c>,
/// <c>images</c>, <c>container_images</c>), a <c>workload</c> and the deployments under
/// <c>compare</c>. Every deployment's service or function is called <c>workload</c>, so its
/// arrivals come from the same named random stream: the same seed gives every deployment the
/// same arrivals.
/// </summary>
public static class ComparisonReader
{
    /// <summary>The kind of a deployment of VMs behind a load balancer.</summary>
    public const string Vms = "VMs";

    /// <summary>The kind of a deployment of pods of containers behind a load balancer.</summary>
    public const string Containers = "containers";

    /// <summary>The kind of a deployment of functions on the provider's platform, billed per use.</summary>
    public const string ProviderFunctions = "functions";

    /// <summary>The kind of a deployment of functions on the datacenter's own container engines, paid by the host.</summary>
    public const string SelfHostedFunctions = "self-hosted functions";

    /// <summary>The name every deployment gives the workload, and so the prefix of its metrics.</summary>
    public const string Workload = "workload";

    private static bool HasParameters(YamlValue sweep) =>
        sweep.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
        && mapping.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode("parameters"));

    /// <summary>
    /// The <c>sweep: {parameters: ...}</c> of comparison <paramref name="text"/> with each point's
    /// comparison (the file with that point's values set), every point read before anything runs;
    /// null when the file sweeps nothing or only arrival rates (<c>sweep: {rates: ...}</c>).
    /// </summary>
    public static (ParameterSweep Sweep, IReadOnlyList<Comparison> Points)? ReadSweep(string path, string text, IReadOnlyList<Override>? overrides = null)
    {
        var rootValue = YamlSection.LoadRoot(path, text, overrides);
        RequireComparison(path, rootValue);
        if (rootValue.Node is not YamlDotNet.RepresentationModel.YamlMappingNode mapping
            || !mapping.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("sweep"), out var node))
        {
            return null;
        }
        var value = new YamlValue(path, "sweep", node);
        if (!HasParameters(value))
        {
            return null;
        }
        var sweep = ParameterSweep.Read(value);
        return (sweep, sweep.ReadPoints(path, overrides, point => Parse(path, text, point)));
    }

    /// <summary>Loads the comparison in <paramref name="path"/>, with <paramref name="overrides"/> (<c>--set</c>) put in.</summary>
    public static Comparison LoadFile(string path, IReadOnlyList<Override>? overrides = null) => Parse(path, ScenarioLoader.ReadText(path), overrides);

    /// <summary>
    /// Parses comparison <paramref name="text"/>, naming <paramref name="path"/> in messages (a
    /// notebook may name it as it likes); relative paths in it (traces) are read beside <paramref name="path"/>.
    /// </summary>
    public static Comparison Parse(string path, string text, IReadOnlyList<Override>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(path, text, overrides);
    }

    /// <summary>Refuses a file without a compare section with what to do instead, before its keys are checked against a comparison's.</summary>
    private static void RequireComparison(string path, YamlValue rootValue)
    {
        if (ScenarioLoader.IsComparison(rootValue))
        {
            return;
        }
        if (rootValue.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
            && mapping.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().FirstOrDefault(k => k.Value == "deployments") is { } deployments)
        {
            throw Override.At(path, deployments, "a comparison lists its deployments under compare:, not deployments:");
        }
        throw rootValue.Error("this file is a scenario, not a comparison (it has no compare section): run it with virtsim run");
    }

    private static Comparison Read(string path, string text, IReadOnlyList<Override>? overrides)
    {
        var rootValue = YamlSection.LoadRoot(path, text, overrides);
        RequireComparison(path, rootValue);
        var root = rootValue.AsSection("name", "description", "seed", "replications", "warmup", "duration",
            "datacenter", "images", "container_images", "workload", "compare", "sweep", "precision");
        // Each deployment runs its replications to the precision, if one is asked for, on its own.
        var header = ScenarioLoader.ReadHeader(root, path) with { Precision = root.Optional("precision") is { } precision ? PrecisionTarget.Read(precision) : null };
        var dcValue = root.Required("datacenter", "{network: {topology: star, host_link: {bandwidth: 10Gbps}}, hosts: [...]}");
        var shared = DatacenterReader.Read(dcValue, root.Optional("images"), null, null, null, root.Optional("container_images"), null, out var context);
        if (rootValue.FirstError(shared.Validate()) is { } sharedError)
        {
            throw sharedError;
        }

        var w = root.Required("workload", "{arrivals: {rate: 50/s}, request: {cpu: 20ms, network: 20KB}}").AsSection("arrivals", "request");
        var (interarrival, job) = ReadWorkloadArrivals(w.Required("arrivals", "{rate: 50/s}"), header);
        var r = w.Required("request", "{cpu: 20ms, network: 20KB}").AsSection("cpu", "disk", "network");
        var request = new RequestSpec(r.Required("cpu", "20ms").AsDurationOrDistribution(), r.Optional("disk")?.AsSize() ?? 0, r.Optional("network")?.AsSize() ?? 0);

        var compareValue = root.Required("compare", "[{name: vms, vm: {...}}, {name: functions, function: {...}}]");
        var deployments = new List<(string, string, Scenario)>();
        foreach (var value in compareValue.AsList("deployments"))
        {
            var d = value.AsSection("name", "replicas", "balancing", "vm", "pod", "function");
            var nameValue = d.Required("name", "vms");
            string name = nameValue.AsName();
            if (deployments.Any(existing => existing.Item1 == name))
            {
                throw nameValue.Error($"a deployment named '{name}' is declared twice");
            }
            var (kind, spec) = ReadDeployment(d, value, shared, context, interarrival, request, job);
            // The deployment is the one service (or function) of its spec: its errors are reported
            // at the deployment; the shared datacenter's were reported above.
            string at = value.Path;
            if (rootValue.FirstError(spec.Validate().Where(e => !e.Path.StartsWith("datacenter.", StringComparison.Ordinal)),
                    p => p.StartsWith("services[0]", StringComparison.Ordinal) ? at + p["services[0]".Length..]
                        : p.StartsWith("functions[0]", StringComparison.Ordinal) ? at + ".function" + p["functions[0]".Length..]
                        : p.StartsWith("platform", StringComparison.Ordinal) ? at + ".function"
                        : p) is { } deploymentError)
            {
                throw deploymentError;
            }
            deployments.Add((name, kind, header with { Name = $"{header.Name}/{name}", Datacenter = spec }));
        }
        if (deployments.Count < 2)
        {
            throw compareValue.Error("expected at least two deployments to compare");
        }
        var rates = new List<double>();
        if (root.Optional("sweep") is { } sweepValue && !HasParameters(sweepValue))
        {
            if (job is not null)
            {
                throw sweepValue.Error("a sweep varies the arrival rate of an endless workload, not of a job of so many requests");
            }
            if (interarrival is not Distribution.Exponential)
            {
                throw sweepValue.Error("a sweep runs Poisson arrivals at each rate: give the workload's arrivals as a rate (rate: 40/s), not other gaps");
            }
            var sweep = sweepValue.AsSection("rates");
            var ratesValue = sweep.Required("rates", "[1/s, 10/s, 100/s]");
            foreach (var rateValue in ratesValue.AsList("arrival rates"))
            {
                double rate = rateValue.AsRate();
                if (rates.Count > 0 && rate <= rates[^1])
                {
                    throw rateValue.Error("expected the rates in increasing order");
                }
                rates.Add(rate);
            }
            if (rates.Count < 2)
            {
                throw ratesValue.Error("expected at least two rates to sweep over");
            }
        }
        return new Comparison(header.Name, header.Description, deployments, rates, job);
    }

    /// <summary>
    /// The workload's arrivals: endless (<c>rate</c> or <c>interarrival</c>), or a job of so many
    /// <c>requests</c>, sent all at the start unless a rate or gaps are given. A job is measured
    /// from the start of the run, so it allows no warm-up.
    /// </summary>
    private static (Distribution Interarrival, long? Job) ReadWorkloadArrivals(YamlValue value, Scenario header)
    {
        var arrivals = value.AsSection("rate", "interarrival", "requests");
        if (arrivals.Optional("requests") is not { } requestsValue)
        {
            return (ScenarioLoader.ReadArrivals(value), null);
        }
        long requests = requestsValue.AsInteger(1, 100_000_000);
        if (header.Warmup > 0)
        {
            throw requestsValue.Error("a job is measured from the start of the run: expected warmup: 0 with requests");
        }
        bool atOnce = arrivals.Optional("rate") is null && arrivals.Optional("interarrival") is null;
        return (atOnce ? new Distribution.Deterministic(0) : ScenarioLoader.ReadArrivals(value, "requests"), requests);
    }

    private static (string Kind, DatacenterSpec Spec) ReadDeployment(YamlSection d, YamlValue at, DatacenterSpec shared,
        DatacenterReader.Context context, Distribution interarrival, RequestSpec request, long? job)
    {
        var chosen = new[] { "vm", "pod", "function" }.Where(k => d.Optional(k) is not null).ToList();
        if (chosen.Count != 1)
        {
            throw at.Error("expected exactly one of vm, pod or function: how this deployment runs the workload");
        }
        int replicas = (int)(d.Optional("replicas")?.AsInteger(1, 1_000_000) ?? 1);
        var balancing = d.Optional("balancing")?.AsChoice(DatacenterReader.BalancingChoices) ?? Balancing.RoundRobin;
        switch (chosen[0])
        {
            case "vm":
                var vm = DatacenterReader.ReadDeploymentVm(d.Required("vm"), Workload, context);
                return (Vms, shared with { Services = [new ServiceSpec(Workload, interarrival, request, vm, replicas, balancing, RequestLimit: job)] });
            case "pod":
                var (pod, engines) = DatacenterReader.ReadDeploymentPod(d.Required("pod"), Workload, context);
                return (Containers, shared with { Services = [new ServiceSpec(Workload, interarrival, request, null, replicas, balancing, pod, engines, RequestLimit: job)] });
            default:
                d.AllowOnly(["name", "function"]);
                var f = d.Required("function").AsSection("memory", "timeout", "concurrency", "instance_concurrency", "runtime_init", "function_init",
                    "keep_alive", "provisioned", "engines", "base_image", "code", "vcpus");
                // On the datacenter's own engines (self-hosted, as OpenFaaS or Knative run): an
                // instance is a container of a base image from container_images plus the code.
                string? functionEngines = null;
                ContainerImage? image = null;
                if (f.Optional("engines") is { } enginesValue)
                {
                    functionEngines = enginesValue.AsText();
                    if (!context.Engines.ContainsKey(functionEngines))
                    {
                        throw enginesValue.UnknownName("engine group", functionEngines, context.Engines.Keys, "datacenter.engines");
                    }
                    image = FunctionReader.ReadImage(f, Workload, context.ContainerImages);
                }
                else if ((f.Optional("base_image") ?? f.Optional("code")) is { } stray)
                {
                    throw stray.Error("base_image and code describe a self-hosted function's container: set engines too");
                }
                // A function runs the request's CPU work on one core of the provider's (on engines, in
                // its instance's container), then reads and responds as the other deployments do.
                var function = new FunctionSpec(Workload,
                    f.Optional("memory")?.AsSize(allowZero: false) ?? FunctionSpec.DefaultMemoryBytes,
                    f.Optional("timeout")?.AsDuration(allowZero: false) ?? FunctionSpec.DefaultTimeout,
                    f.Optional("concurrency") is { } c ? (int)c.AsInteger(1, 10_000_000) : null,
                    interarrival,
                    request.Cpu,
                    f.Optional("runtime_init")?.AsDuration(allowZero: true) ?? FunctionSpec.DefaultRuntimeInit,
                    f.Optional("function_init")?.AsDuration(allowZero: true) ?? FunctionSpec.DefaultFunctionInit,
                    f.Optional("keep_alive") is { } k ? FunctionReader.ReadKeepAlive(k) : KeepAlivePolicy.Fixed.Default,
                    (int)(f.Optional("provisioned")?.AsInteger(0, 1_000_000) ?? 0),
                    Image: image,
                    InstanceConcurrency: (int)(f.Optional("instance_concurrency")?.AsInteger(1, 10_000) ?? 1),
                    InvocationLimit: job,
                    // The workload's request, executed as under the other deployments: its disk read and its response.
                    DiskBytes: request.DiskBytes,
                    ResponseBytes: request.NetworkBytes,
                    Vcpus: FunctionReader.ReadVcpus(f));
                // Invocations over the concurrency limit wait their turn in a job (as asynchronous
                // invocations are retried) and on our own platform (its gateway queues them, as
                // Knative's activator does, and hands one waiting for a new container to the
                // first instance free); a provider rejects a synchronous caller's.
                var throttle = job is null && functionEngines is null ? ThrottlePolicy.Reject : ThrottlePolicy.Queue;
                return (functionEngines is null ? ProviderFunctions : SelfHostedFunctions, shared with
                {
                    Functions = new FunctionPlatformSpec([function], null, throttle,
                        FunctionPricing.Default, EngineGroup: functionEngines, RouteToFirstReady: functionEngines is not null),
                });
        }
    }
}
