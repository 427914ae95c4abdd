using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Api;

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

    /// <summary>
    /// The scenario file <paramref name="path"/>, with values set as <c>virtsim run --set</c> sets
    /// them: <c>Scenarios.Load("mm1.yaml", "station.arrivals.rate=0.9/s")</c>. A mistake, in the
    /// file or in a setting, is one line naming the file, line and column and what was expected.
    /// </summary>
    public static Scenario Load(string path, params string[] set)
    {
        try
        {
            return ScenarioLoader.LoadFile(path, Settings(set));
        }
        catch (ScenarioException e)
        {
            throw new ModelException(e.Message);
        }
    }

    /// <summary>The settings <c>PATH=VALUE</c> as <c>--set</c> reads them; a malformed one is a <see cref="ModelException"/>.</summary>
    internal static List<Override> Settings(string[] set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var overrides = new List<Override>();
        foreach (string text in set)
        {
            overrides.Add(Override.Parse(text, out string? problem) ?? throw new ModelException($"setting '{text}': {problem}"));
        }
        return overrides;
    }

    /// <summary>Runs one replication (<paramref name="index"/>), with its timeline (VM phases, pod pulls, cold starts) when asked.</summary>
    public static ReplicationResult RunOne(this Scenario scenario, int index = 0, bool timeline = false) =>
        ExperimentRunner.RunOne(scenario, index, timeline);

    /// <summary>
    /// The 95% confidence interval across replications of <paramref name="metric"/>
    /// (<c>MetricCatalogue.FunctionColdStartRatio.Of("api")</c>); one the run did not measure is an error naming those it did.
    /// </summary>
    public static VirtSim.Kernel.Statistics.ConfidenceInterval Interval(this RunResult result, VirtSim.Datacenter.Metrics.MetricKey metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        string name = metric.Name;
        return (result.Summary.FirstOrDefault(m => m.Name == name)
            ?? throw new ModelException($"the run did not measure {name} (it measured {string.Join(", ", result.Summary.Select(m => m.Name))})")).Interval;
    }

    /// <summary>Runs <paramref name="scenario"/>'s replications (or <paramref name="replications"/>).</summary>
    public static RunResult Run(this Scenario scenario, int? replications = null) =>
        ExperimentRunner.Run(scenario, new RunOptions(Replications: replications));

    /// <summary>The mean across replications of <paramref name="metric"/>; one the run did not measure is an error.</summary>
    public static double Mean(this RunResult result, VirtSim.Datacenter.Metrics.MetricKey metric) => result.Interval(metric).Mean;


}
