using System.Globalization;
using System.Text;
using System.Text.Json;
using VirtSim.Experiments.Results;
using VirtSim.Experiments.Running;
using VirtSim.Experiments.Scenarios;

namespace VirtSim.Experiments.Api;

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

    /// <summary>The comparison file <paramref name="path"/>, with values set as <c>virtsim compare --set</c> sets them.</summary>
    public static Comparison Load(string path, params string[] set)
    {
        try
        {
            return ComparisonReader.LoadFile(path, Scenarios.Settings(set));
        }
        catch (ScenarioException e)
        {
            throw new ModelException(e.Message);
        }
    }

    /// <summary>Runs <paramref name="comparison"/>; every deployment sees the same arrivals.</summary>
    public static ComparisonResult Run(this Comparison comparison, int? replications = null) =>
        ComparisonRunner.Run(comparison, new RunOptions(Replications: replications, Timeline: true));

    /// <summary>The 95% interval of <paramref name="measure"/> for the deployment named <paramref name="deployment"/>.</summary>
    public static VirtSim.Kernel.Statistics.ConfidenceInterval Interval(this ComparisonResult result, ComparisonMeasure measure, string deployment)
    {
        ArgumentNullException.ThrowIfNull(result);
        int index = result.Comparison.Deployments.ToList().FindIndex(d => d.Name == deployment);
        if (index < 0)
        {
            throw new ModelException($"no deployment named '{deployment}' (deployments: {string.Join(", ", result.Comparison.Deployments.Select(d => d.Name))})");
        }
        return result.Row(measure).Values[index];
    }

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
    public static double Mean(this ComparisonResult result, ComparisonMeasure measure, string deployment) => result.Interval(measure, deployment).Mean;

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
