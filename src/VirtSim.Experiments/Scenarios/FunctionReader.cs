using VirtSim.Datacenter.Serverless;
using VirtSim.Kernel.Random;

namespace VirtSim.Experiments.Scenarios;

/// <summary>Reads the <c>functions</c> and <c>platform</c> sections.</summary>
internal static class FunctionReader
{
    private static readonly Dictionary<string, ThrottlePolicy> Throttles = new(StringComparer.Ordinal)
    {
        ["reject"] = ThrottlePolicy.Reject,
        ["queue"] = ThrottlePolicy.Queue,
    };

    public static FunctionPlatformSpec Read(YamlValue functionsValue, YamlValue? platformValue)
    {
        var functions = new List<FunctionSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in functionsValue.AsList("functions"))
        {
            var f = value.AsSection("name", "memory", "timeout", "concurrency", "arrivals", "duration", "cold_duration",
                "runtime_init", "function_init", "keep_alive", "provisioned");
            var nameValue = f.Required("name", "thumbnail");
            string name = nameValue.AsText();
            if (!names.Add(name))
            {
                throw nameValue.Error($"a function named '{name}' is declared twice");
            }
            functions.Add(new FunctionSpec(
                name,
                f.Optional("memory")?.AsSize(allowZero: false) ?? 128 * 1024.0 * 1024,
                // Default limit: 3 s, AWS Lambda's default function timeout (up to 900 s allowed).
                f.Optional("timeout")?.AsDuration(allowZero: false) ?? 3,
                f.Optional("concurrency") is { } c ? (int)c.AsInteger(1, 10_000_000) : null,
                ScenarioLoader.ReadArrivals(f.Required("arrivals", "{rate: 0.9/s}")),
                f.Required("duration", "{distribution: exponential, mean: 100ms}").AsDurationOrDistribution(),
                f.Optional("runtime_init")?.AsDuration(allowZero: true) ?? 0.25,
                f.Optional("function_init")?.AsDuration(allowZero: true) ?? 0.25,
                f.Optional("keep_alive") is { } k ? ReadKeepAlive(k) : KeepAlivePolicy.Fixed.Default,
                (int)(f.Optional("provisioned")?.AsInteger(0, 1_000_000) ?? 0),
                f.Optional("cold_duration")?.AsDurationOrDistribution()));
        }
        if (functions.Count == 0)
        {
            throw functionsValue.Error("expected at least one function");
        }
        var pricing = FunctionPricing.Default;
        int? account = null;
        var throttle = ThrottlePolicy.Reject;
        if (platformValue is not null)
        {
            var p = platformValue.AsSection("account_concurrency", "throttle", "price_per_gb_second", "price_per_million_requests",
                "provisioned_price_per_gb_second");
            account = p.Optional("account_concurrency") is { } a ? (int)a.AsInteger(1, 100_000_000) : null;
            throttle = p.Optional("throttle")?.AsChoice(Throttles) ?? ThrottlePolicy.Reject;
            pricing = pricing with
            {
                PerGbSecond = p.Optional("price_per_gb_second")?.AsNumber(0, 1e6) ?? pricing.PerGbSecond,
                PerMillionRequests = p.Optional("price_per_million_requests")?.AsNumber(0, 1e9) ?? pricing.PerMillionRequests,
                ProvisionedPerGbSecond = p.Optional("provisioned_price_per_gb_second")?.AsNumber(0, 1e6) ?? pricing.ProvisionedPerGbSecond,
            };
        }
        return new FunctionPlatformSpec(functions, account, throttle, pricing);
    }

    private static KeepAlivePolicy ReadKeepAlive(YamlValue value)
    {
        if (value.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "none" })
        {
            return new KeepAlivePolicy.None();
        }
        if (value.Node is YamlDotNet.RepresentationModel.YamlScalarNode)
        {
            return new KeepAlivePolicy.Fixed(value.AsDuration(allowZero: true));
        }
        var k = value.AsSection("policy", "idle");
        string policy = k.Required("policy", "fixed").AsChoice(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fixed"] = "fixed",
            ["none"] = "none",
        });
        if (policy == "none")
        {
            k.AllowOnly(["policy"]);
            return new KeepAlivePolicy.None();
        }
        return new KeepAlivePolicy.Fixed(k.Required("idle", "10min").AsDuration(allowZero: true));
    }
}
