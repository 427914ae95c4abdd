using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Serverless;

namespace VirtSim.Experiments.Scenarios;

/// <summary>Reads the <c>functions</c> and <c>platform</c> sections.</summary>
internal static class FunctionReader
{
    private static readonly Dictionary<string, ThrottlePolicy> Throttles = new(StringComparer.Ordinal)
    {
        ["reject"] = ThrottlePolicy.Reject,
        ["queue"] = ThrottlePolicy.Queue,
    };

    // own_container: a cold invocation waits for its own new container (AWS Lambda);
    // first_ready: it runs on whichever instance is free first (Knative's activator).
    private static readonly Dictionary<string, bool> Routings = new(StringComparer.Ordinal)
    {
        ["own_container"] = false,
        ["first_ready"] = true,
    };

    public static FunctionPlatformSpec Read(YamlValue functionsValue, YamlValue? platformValue, DatacenterReader.Context? context)
    {
        var containerImages = context?.ContainerImages ?? new Dictionary<string, ContainerImage>();
        IReadOnlyCollection<string> engineGroups = [.. context?.Engines.Keys ?? []];
        // The platform first: its engines and base images decide what a function may say.
        string? engines = null;
        var baseImages = new Dictionary<string, ContainerImage>(StringComparer.Ordinal);
        var platformSection = platformValue?.AsSection("account_concurrency", "throttle", "price_per_gb_second", "price_per_million_requests",
            "provisioned_price_per_gb_second", "state_store_latency", "ping_duration", "engines", "base_images", "routing",
            "instance_storage", "instance_network", "request_timeout");
        if (platformSection?.Optional("engines") is { } enginesValue)
        {
            engines = enginesValue.AsText();
            if (!engineGroups.Contains(engines))
            {
                throw enginesValue.UnknownName("engine group", engines, engineGroups, "datacenter.engines");
            }
            var catalog = platformSection.Required("base_images", "[python3.12]");
            foreach (var baseValue in catalog.AsList("base images"))
            {
                string baseName = baseValue.AsText();
                if (!containerImages.TryGetValue(baseName, out var baseImage))
                {
                    throw baseValue.Error($"no container image named '{baseName}' to offer as a base image (declare it under container_images)");
                }
                baseImages[baseName] = baseImage;
            }
        }
        else if (platformSection?.Optional("base_images") is { } strayCatalog)
        {
            throw strayCatalog.Error("base images are offered by a platform that runs on container engines: set engines too");
        }
        var functions = new List<FunctionSpec>();
        foreach (var value in functionsValue.AsList("functions"))
        {
            var f = value.AsSection("name", "memory", "timeout", "concurrency", "arrivals", "duration", "cold_duration",
                "runtime_init", "function_init", "keep_alive", "provisioned", "state_accesses", "calls", "ping_interval",
                "base_image", "code", "instance_concurrency", "disk", "network", "vcpus");
            var nameValue = f.Required("name", "thumbnail");
            string name = nameValue.AsName();
            ContainerImage? image = null;
            if (engines is not null)
            {
                image = ReadImage(f, name, baseImages);
            }
            else if ((f.Optional("base_image") ?? f.Optional("code")) is { } stray)
            {
                throw stray.Error("base_image and code describe a function's container: the platform needs engines (platform: {engines: ...})");
            }
            var arrivalsValue = f.Required("arrivals", "{rate: 0.9/s}");
            int[]? traceCounts = null;
            if (arrivalsValue.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
                && mapping.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Any(k => k.Value == "trace"))
            {
                var t = arrivalsValue.AsSection("trace", "function");
                var traceValue = t.Required("trace", "traces/sample-azure-2019.csv");
                var functionValue = t.Required("function", "timer-5min");
                string traceFile = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(arrivalsValue.File)) ?? ".", traceValue.AsText());
                traceCounts = TraceReader.InvocationsPerMinute(traceFile, traceValue, functionValue.AsText(), functionValue);
            }
            functions.Add(new FunctionSpec(
                name,
                f.Optional("memory")?.AsSize(allowZero: false) ?? FunctionSpec.DefaultMemoryBytes,
                f.Optional("timeout")?.AsDuration(allowZero: false) ?? FunctionSpec.DefaultTimeout,
                f.Optional("concurrency") is { } c ? (int)c.AsInteger(1, 10_000_000) : null,
                traceCounts is null ? ScenarioLoader.ReadArrivals(arrivalsValue) : null,
                f.Required("duration", "{distribution: exponential, mean: 100ms}").AsDurationOrDistribution(),
                f.Optional("runtime_init")?.AsDuration(allowZero: true) ?? FunctionSpec.DefaultRuntimeInit,
                f.Optional("function_init")?.AsDuration(allowZero: true) ?? FunctionSpec.DefaultFunctionInit,
                f.Optional("keep_alive") is { } k ? ReadKeepAlive(k) : KeepAlivePolicy.Fixed.Default,
                (int)(f.Optional("provisioned")?.AsInteger(0, 1_000_000) ?? 0),
                f.Optional("cold_duration")?.AsDurationOrDistribution(),
                (int)(f.Optional("state_accesses")?.AsInteger(0, 1_000_000) ?? 0),
                ReadCalls(f.Optional("calls")),
                f.Optional("ping_interval")?.AsDuration(allowZero: false),
                traceCounts,
                image,
                (int)(f.Optional("instance_concurrency")?.AsInteger(1, 10_000) ?? 1),
                DiskBytes: f.Optional("disk")?.AsSize() ?? 0,
                ResponseBytes: f.Optional("network")?.AsSize() ?? 0,
                Vcpus: ReadVcpus(f)));
        }
        bool routeToFirstReady = platformSection?.Optional("routing")?.AsChoice(Routings) ?? false;
        // The spec's defaults, replaced by what the file says.
        var platform = new FunctionPlatformSpec(functions, null, ThrottlePolicy.Reject, FunctionPricing.Default,
            EngineGroup: engines, RouteToFirstReady: routeToFirstReady);
        if (platformSection is not { } p)
        {
            return platform;
        }
        var pricing = platform.Pricing;
        return platform with
        {
            AccountConcurrency = p.Optional("account_concurrency") is { } a ? (int)a.AsInteger(1, 100_000_000) : null,
            Throttle = p.Optional("throttle")?.AsChoice(Throttles) ?? platform.Throttle,
            StateStoreLatency = p.Optional("state_store_latency")?.AsDuration(allowZero: true) ?? platform.StateStoreLatency,
            PingDuration = p.Optional("ping_duration")?.AsDuration(allowZero: false) ?? platform.PingDuration,
            InstanceStorageBandwidth = p.Optional("instance_storage")?.AsBandwidth() ?? platform.InstanceStorageBandwidth,
            InstanceNetworkBandwidth = p.Optional("instance_network")?.AsBandwidth() ?? platform.InstanceNetworkBandwidth,
            RequestTimeout = p.Optional("request_timeout")?.AsDuration(allowZero: false) ?? platform.RequestTimeout,
            Pricing = pricing with
            {
                PerGbSecond = p.Optional("price_per_gb_second")?.AsNumber(0, 1e6) ?? pricing.PerGbSecond,
                PerMillionRequests = p.Optional("price_per_million_requests")?.AsNumber(0, 1e9) ?? pricing.PerMillionRequests,
                ProvisionedPerGbSecond = p.Optional("provisioned_price_per_gb_second")?.AsNumber(0, 1e6) ?? pricing.ProvisionedPerGbSecond,
            },
        };
    }

    private static List<FunctionCall>? ReadCalls(YamlValue? value)
    {
        if (value is null)
        {
            return null;
        }
        var calls = new List<FunctionCall>();
        foreach (var callValue in value.AsList("calls"))
        {
            var c = callValue.AsSection("function", "sync");
            var target = c.Required("function", "resize");
            bool sync = c.Optional("sync")?.AsChoice(new Dictionary<string, bool>(StringComparer.Ordinal)
            {
                ["true"] = true,
                ["false"] = false,
            }) ?? true;
            calls.Add(new FunctionCall(target.AsText(), sync));
        }
        return calls;
    }

    internal static KeepAlivePolicy ReadKeepAlive(YamlValue value)
    {
        if (value.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "none" })
        {
            return new KeepAlivePolicy.None();
        }
        if (value.Node is YamlDotNet.RepresentationModel.YamlScalarNode)
        {
            return new KeepAlivePolicy.Fixed(value.AsDuration(allowZero: true));
        }
        var k = value.AsSection("policy", "idle", "bin", "range", "head_percentile", "tail_percentile", "margin", "min_samples", "cv_threshold");
        string policy = k.Required("policy", "fixed").AsChoice(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fixed"] = "fixed",
            ["none"] = "none",
            ["hybrid"] = "hybrid",
        });
        if (policy == "none")
        {
            k.AllowOnly(["policy"]);
            return new KeepAlivePolicy.None();
        }
        if (policy == "fixed")
        {
            k.AllowOnly(["policy", "idle"]);
            return new KeepAlivePolicy.Fixed(k.Required("idle", "10min").AsDuration(allowZero: true));
        }
        k.AllowOnly(["policy", "bin", "range", "head_percentile", "tail_percentile", "margin", "min_samples", "cv_threshold"]);
        var defaults = new HybridHistogramPolicy();
        double bin = k.Optional("bin")?.AsDuration(allowZero: false) ?? defaults.BinSeconds;
        var rangeValue = k.Optional("range");
        double range = rangeValue?.AsDuration(allowZero: false) ?? defaults.RangeSeconds;
        double head = k.Optional("head_percentile")?.AsNumber(0, 1) ?? defaults.HeadPercentile;
        double tail = k.Optional("tail_percentile")?.AsNumber(0, 1) ?? defaults.TailPercentile;
        var hybrid = new HybridHistogramPolicy(bin, range, head, tail,
            k.Optional("margin")?.AsNumber(0, 1) ?? defaults.Margin,
            (int)(k.Optional("min_samples")?.AsInteger(1, 1_000_000) ?? defaults.MinimumSamples),
            k.Optional("cv_threshold")?.AsNumber(0, 1e6) ?? defaults.CvThreshold);
        // The spec's own checks, located at the key they name.
        foreach (var error in hybrid.Validate(value.Path))
        {
            throw (k.Optional(error.Path[(error.Path.LastIndexOf('.') + 1)..]) ?? value).Error(error.Message);
        }
        return hybrid;
    }

    /// <summary>
    /// The cores of an instance on engines (<c>vcpus</c>); null takes the provider's ratio to memory.
    /// On the provider a function's execution time is given, not its cores, so <c>vcpus</c> belongs to engines.
    /// </summary>
    internal static double? ReadVcpus(YamlSection f) => f.Optional("vcpus")?.AsNumber(0, 1024, minExclusive: true);

    /// <summary>
    /// The container image of a function on engines: one of the provider's
    /// <paramref name="baseImages"/> (<c>base_image</c>) plus a layer of its <c>code</c>. The
    /// hybrid keep-alive policy is refused there: its pre-warming is not modelled on engines.
    /// </summary>
    internal static ContainerImage ReadImage(YamlSection f, string name, IReadOnlyDictionary<string, ContainerImage> baseImages)
    {
        var baseValue = f.Required("base_image", baseImages.Keys.FirstOrDefault() ?? "python3.12");
        string baseName = baseValue.AsText();
        if (!baseImages.TryGetValue(baseName, out var baseImage))
        {
            throw baseValue.Error($"a function may use only the provider's base images ({string.Join(", ", baseImages.Keys)}), not '{baseName}'");
        }
        double code = f.Optional("code")?.AsSize(allowZero: false) ?? 5e6;
        return ContainerImage.Build(name, baseImage, [new BuildStep($"COPY {name} code", code)]);
    }
}
