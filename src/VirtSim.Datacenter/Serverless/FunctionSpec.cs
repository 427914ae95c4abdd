using VirtSim.Datacenter.Validation;
using VirtSim.Kernel.Random;

namespace VirtSim.Datacenter.Serverless;

/// <summary>
/// When an instance that just finished is kept loaded: from <see cref="PrewarmAfter"/> seconds
/// after the end of its execution (0: without a break) until <see cref="KeepUntil"/> seconds after it.
/// </summary>
public readonly record struct KeepAliveWindow(double PrewarmAfter, double KeepUntil);

/// <summary>How long instances are kept warm after they become idle, and when they are pre-warmed.</summary>
public abstract record KeepAlivePolicy
{
    /// <summary>The state this policy keeps for one function (what it has learned).</summary>
    public abstract KeepAliveState Start();

    /// <summary>A fixed idle timeout. Default 10 minutes: the figure Shahrad et al. report for the
    /// fixed keep-alive of the major providers in 2019 ("Serverless in the Wild", USENIX ATC 2020).</summary>
    public sealed record Fixed(double Seconds) : KeepAlivePolicy
    {
        /// <summary>The 10-minute default.</summary>
        public static Fixed Default { get; } = new(600);

        /// <inheritdoc />
        public override KeepAliveState Start() => new FixedState(new KeepAliveWindow(0, Seconds));
    }

    /// <summary>No keep-alive: every invocation starts cold.</summary>
    public sealed record None : KeepAlivePolicy
    {
        /// <inheritdoc />
        public override KeepAliveState Start() => new FixedState(new KeepAliveWindow(0, 0));
    }

    private sealed class FixedState(KeepAliveWindow window) : KeepAliveState
    {
        public override KeepAliveWindow? FixedWindow => window;

        public override void Observe(double idleTime)
        {
        }

        public override KeepAliveWindow Window() => window;
    }
}

/// <summary>What a keep-alive policy knows of one function.</summary>
public abstract class KeepAliveState
{
    /// <summary>An invocation arrived <paramref name="idleTime"/> seconds after the function's previous execution ended.</summary>
    public abstract void Observe(double idleTime);

    /// <summary>The window for an instance whose execution ends now.</summary>
    public abstract KeepAliveWindow Window();

    /// <summary>The window, when it never changes (which lets the platform expire instances in a simple queue).</summary>
    public virtual KeepAliveWindow? FixedWindow => null;
}

/// <summary>What the platform does with an invocation over the concurrency limit.</summary>
public enum ThrottlePolicy
{
    /// <summary>It is rejected and counted as throttled.</summary>
    Reject,

    /// <summary>It waits, first come first served, for an instance to free up.</summary>
    Queue,
}

/// <summary>A function as the user deploys it.</summary>
/// <param name="Name">Name, the prefix of its metrics.</param>
/// <param name="MemoryBytes">Memory size, the unit of billing (GB-seconds).</param>
/// <param name="Timeout">Execution-time limit in seconds: an invocation still running then is killed.</param>
/// <param name="Concurrency">Most instances busy at once; null: no limit of its own.</param>
/// <param name="Interarrival">Time between invocations (exponential: Poisson arrivals); null when a trace drives the function.</param>
/// <param name="Duration">Execution time of a warm invocation, in seconds.</param>
/// <param name="RuntimeInit">Time to start the language runtime in a fresh container, in seconds.</param>
/// <param name="FunctionInit">Time to run the function's own initialization code, in seconds.</param>
/// <param name="KeepAlive">How long idle instances are kept warm.</param>
/// <param name="Provisioned">Instances kept warm at all times (provisioned concurrency); they never expire.</param>
/// <param name="ColdDuration">
/// For the classic analytical setting: the whole time of a cold invocation (start and
/// execution), replacing <paramref name="RuntimeInit"/> + <paramref name="FunctionInit"/> + <paramref name="Duration"/>.
/// </param>
/// <param name="StateAccesses">Reads and writes to the external state store per invocation: a
/// function keeps no state of its own between invocations, so it pays the store's latency each time.</param>
/// <param name="Calls">Functions this one invokes after its own work, in order.</param>
/// <param name="PingInterval">Seconds between keep-alive pings the user sends to keep an instance warm; null: none.</param>
/// <param name="InvocationsPerMinute">A trace: invocations in each minute from the start, spread
/// uniformly at random within their minute (the layout of the Azure Functions 2019 trace).</param>
/// <param name="Image">The container image of an instance: a provider base image plus the
/// function's code layer; used when the platform runs instances on container engines.</param>
/// <param name="InstanceConcurrency">Invocations one instance serves at once (1, as Lambda; more, as
/// Cloud Run or Azure Functions allow). Each runs for its own duration; they do not slow each other.</param>
/// <param name="InvocationLimit">Invocations its arrivals send in all, then no more (a job); null: they never stop.</param>
/// <param name="DiskBytes">Bytes each invocation reads after its execution, as a request of a service
/// reads its host's disk: from the instance's storage on the provider (at
/// <see cref="FunctionPlatformSpec.InstanceStorageBandwidth"/>), from its node's disk on engines.</param>
/// <param name="ResponseBytes">Bytes of each invocation's response, sent to the client as a service's
/// response is: at <see cref="FunctionPlatformSpec.InstanceNetworkBandwidth"/> on the provider, from its
/// node through the datacenter's network to the gateway on engines.</param>
/// <param name="Vcpus">Cores an instance gets on container engines; null takes the provider's ratio
/// of one vCPU per <see cref="FunctionPlatformSpec.BytesPerVcpu"/> of memory.</param>
public sealed partial record FunctionSpec(
    string Name,
    double MemoryBytes,
    double Timeout,
    int? Concurrency,
    Distribution? Interarrival,
    Distribution Duration,
    double RuntimeInit,
    double FunctionInit,
    KeepAlivePolicy KeepAlive,
    int Provisioned = 0,
    Distribution? ColdDuration = null,
    int StateAccesses = 0,
    IReadOnlyList<FunctionCall>? Calls = null,
    double? PingInterval = null,
    IReadOnlyList<int>? InvocationsPerMinute = null,
    Containers.ContainerImage? Image = null,
    int InstanceConcurrency = 1,
    long? InvocationLimit = null,
    double DiskBytes = 0,
    double ResponseBytes = 0,
    double? Vcpus = null);

public sealed partial record FunctionSpec
{
    /// <summary>Memory of a function that does not say: 128 MiB, AWS Lambda's default.</summary>
    public const double DefaultMemoryBytes = 128 * 1024.0 * 1024;

    /// <summary>Execution-time limit of a function that does not say: 3 s, AWS Lambda's default (up to 900 s allowed).</summary>
    public const double DefaultTimeout = 3;

    /// <summary>
    /// Runtime start of a function that does not say: 0.25 s, assumed (with <see cref="DefaultFunctionInit"/>
    /// a 0.5 s cold start, within the few hundred milliseconds to a second reported for
    /// interpreted runtimes on public FaaS platforms; set both from measurements of your own).
    /// </summary>
    public const double DefaultRuntimeInit = 0.25;

    /// <summary>The function's own initialization when not given: 0.25 s, assumed (see <see cref="DefaultRuntimeInit"/>).</summary>
    public const double DefaultFunctionInit = 0.25;

    /// <summary>Cores an instance gets: <see cref="Vcpus"/> when given, else one per <see cref="FunctionPlatformSpec.BytesPerVcpu"/> of memory.</summary>
    public double InstanceVcpus => Vcpus ?? MemoryBytes / FunctionPlatformSpec.BytesPerVcpu;

    /// <summary>
    /// The pod an instance is on container engines: one container of the function's image with its
    /// memory and <see cref="InstanceVcpus"/> cores.
    /// </summary>
    public Containers.PodSpec InstancePod() =>
        new(Name, [new Containers.ContainerSpec(Name, Image ?? throw new InvalidOperationException($"Function '{Name}' has no container image: it runs on the provider's platform."),
            InstanceVcpus, MemoryBytes, [])]);

    /// <summary>Why no such function can be simulated, with paths in a function's terms; empty when it can.</summary>
    public IEnumerable<SpecError> Validate()
    {
        if (!(MemoryBytes > 0))
        {
            yield return new("memory", "expected memory above 0 bytes");
        }
        if (!(Timeout > 0))
        {
            yield return new("timeout", "expected an execution-time limit above 0 s");
        }
        if (Concurrency < 1)
        {
            yield return new("concurrency", "expected a concurrency limit of at least 1");
        }
        if (InstanceConcurrency < 1)
        {
            yield return new("instance_concurrency", "expected at least one invocation per instance");
        }
        if (Provisioned < 0)
        {
            yield return new("provisioned", "expected at least 0 provisioned instances");
        }
        if (!(RuntimeInit >= 0) || !(FunctionInit >= 0))
        {
            yield return new(RuntimeInit >= 0 ? "function_init" : "runtime_init", "expected an initialization time of at least 0 s");
        }
        if (!(DiskBytes >= 0) || !(ResponseBytes >= 0))
        {
            yield return new(DiskBytes >= 0 ? "network" : "disk", "expected at least 0 bytes");
        }
        if (Vcpus is { } vcpus && !(vcpus > 0))
        {
            yield return new("vcpus", "expected vCPUs above 0");
        }
        if (Interarrival is null && InvocationsPerMinute is null)
        {
            yield return new("arrivals", "expected arrivals: a rate, gaps between invocations or a trace");
        }
        if (KeepAlive is HybridHistogramPolicy hybrid)
        {
            foreach (var error in hybrid.Validate("keep_alive"))
            {
                yield return error;
            }
        }
    }
}

/// <summary>A call from one function to another.</summary>
/// <param name="Function">The function called.</param>
/// <param name="Synchronous">The caller waits for the callee's response (and is billed while it waits); otherwise it fires and forgets.</param>
public sealed record FunctionCall(string Function, bool Synchronous);

/// <summary>What an invocation costs, as providers bill it.</summary>
/// <param name="PerGbSecond">Price of one GB-second of execution (memory size × billed duration).</param>
/// <param name="PerMillionRequests">Price of a million invocations.</param>
/// <param name="ProvisionedPerGbSecond">Price of one GB-second of provisioned concurrency kept warm.</param>
/// <param name="BillingGranularity">Billed durations are rounded up to a multiple of this, in seconds.</param>
/// <remarks>
/// Defaults: AWS Lambda's published x86 prices (first tier): $0.0000166667 per GB-second,
/// $0.20 per million requests, $0.0000041667 per GB-second of provisioned concurrency, billed
/// per 1 ms. Gigabytes here are 2^30 bytes, as Lambda counts them.
/// </remarks>
public sealed record FunctionPricing(double PerGbSecond, double PerMillionRequests, double ProvisionedPerGbSecond, double BillingGranularity)
{
    /// <summary>The AWS Lambda defaults above.</summary>
    public static FunctionPricing Default { get; } = new(0.0000166667, 0.20, 0.0000041667, 0.001);

    /// <summary>Bytes in a billing gigabyte.</summary>
    public const double BytesPerGb = 1024.0 * 1024 * 1024;

    /// <summary>The price of one invocation of <paramref name="memoryBytes"/> that ran <paramref name="seconds"/>.</summary>
    public double Invocation(double memoryBytes, double seconds)
    {
        // Durations are differences of clock readings far from zero and carry rounding of about
        // 1e-11 s; rounding up must not turn an exact 310 ms into 311 ms.
        double billed = Math.Ceiling(seconds / BillingGranularity - 1e-6) * BillingGranularity;
        return memoryBytes / BytesPerGb * billed * PerGbSecond + PerMillionRequests / 1e6;
    }
}

/// <summary>The function platform: concurrency across the account, throttling and prices.</summary>
/// <param name="Functions">The functions.</param>
/// <param name="AccountConcurrency">Most instances busy at once across all functions; null: no limit.</param>
/// <param name="Throttle">What happens to an invocation over a limit.</param>
/// <param name="Pricing">Prices.</param>
/// <param name="StateStoreLatency">Seconds one access to the external state store takes.</param>
/// <param name="PingDuration">Seconds a keep-alive ping runs (and is billed).</param>
/// <param name="EngineGroup">The container engines instances run on; null for instances that need no placement.</param>
/// <param name="RouteToFirstReady">On engines, hand an invocation that waits for a new container
/// to the first instance of its function that is free sooner, as Knative's activator does; false:
/// it waits for its own container, as on AWS Lambda.</param>
/// <param name="InstanceStorageBandwidth">Bytes per second an instance on the provider reads its storage at.</param>
/// <param name="InstanceNetworkBandwidth">Bytes per second an instance on the provider sends its response at.</param>
/// <param name="RequestTimeout">On engines: seconds the gateway holds an invocation waiting for a new
/// container before it gives up (the invocation is abandoned; the container, once running, joins
/// the warm pool). Default 300 s, Knative Serving's default request timeout (<c>timeoutSeconds</c>).</param>
/// <remarks>
/// Store latency default: 5 ms, within the "single-digit millisecond" latency AWS states for
/// DynamoDB. Ping duration default: 1 ms, the smallest billed duration. Instance storage and
/// network defaults: 125 MB/s and 75 MB/s (600 Mb/s), assumed: providers publish no per-instance
/// figure; 125 MB/s is a general-purpose cloud volume's baseline throughput (AWS gp3), and
/// 600 Mb/s the order that public measurements of Lambda's network throughput report. Both are
/// inputs: set them to what you measure.
/// </remarks>
public sealed record FunctionPlatformSpec(
    IReadOnlyList<FunctionSpec> Functions,
    int? AccountConcurrency,
    ThrottlePolicy Throttle,
    FunctionPricing Pricing,
    double StateStoreLatency = 0.005,
    double PingDuration = 0.001,
    string? EngineGroup = null,
    bool RouteToFirstReady = false,
    double InstanceStorageBandwidth = 125e6,
    double InstanceNetworkBandwidth = 75e6,
    double RequestTimeout = 300)
{
    /// <summary>
    /// Memory per vCPU: AWS Lambda gives a function one vCPU for each 1,769 MB of memory it is
    /// configured with; an instance's pod reserves cores in that proportion.
    /// </summary>
    public const double BytesPerVcpu = 1769.0 * 1024 * 1024;

    /// <summary>
    /// Why the platform cannot be simulated, with paths in a scenario's terms (<c>functions[i]...</c>,
    /// <c>platform...</c>): a function's own errors, names declared twice, calls to functions not
    /// declared or in a cycle, settings that belong to engines on a platform without; empty when
    /// it can. Whether instances fit the engines is the datacenter's to check.
    /// </summary>
    public IEnumerable<SpecError> Validate()
    {
        if (Functions.Count == 0)
        {
            yield return new("functions", "expected at least one function");
            yield break;
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Functions.Count; i++)
        {
            var function = Functions[i];
            string at = SpecPath.Item("functions", i);
            if (!index.TryAdd(function.Name, i))
            {
                yield return new(at + ".name", $"a function named '{function.Name}' is declared twice");
            }
            foreach (var error in function.Validate())
            {
                yield return error.Under(at);
            }
            if (EngineGroup is null && function.Vcpus is not null)
            {
                yield return new(at + ".vcpus", "vcpus sets an instance's cores on container engines; on the provider's platform a function's duration is given instead");
            }
            if (EngineGroup is not null && function.KeepAlive is HybridHistogramPolicy)
            {
                yield return new(at + ".keep_alive", "the hybrid policy's pre-warming is not modelled on container engines yet: use a fixed keep-alive, or no engines");
            }
            if (EngineGroup is not null && function.Image is null)
            {
                yield return new(at, "a function on container engines needs a container image (a base image and its code)");
            }
            if (EngineGroup is null && function.Image is not null)
            {
                yield return new(at + ".base_image", "base_image and code describe a function's container: the platform needs engines (platform: {engines: ...})");
            }
        }
        for (int i = 0; i < Functions.Count; i++)
        {
            var calls = Functions[i].Calls ?? [];
            for (int j = 0; j < calls.Count; j++)
            {
                if (!index.ContainsKey(calls[j].Function))
                {
                    yield return SpecError.UnknownName($"{SpecPath.Item("functions", i)}.{SpecPath.Item("calls", j)}.function", "function", calls[j].Function, Functions.Select(f => f.Name));
                }
            }
        }
        if (FindCycle(index) is { } cycle)
        {
            yield return cycle;
        }
        if (RouteToFirstReady && EngineGroup is null)
        {
            yield return new("platform.routing", "routing decides where an invocation waiting for a new container runs: the platform needs engines");
        }
        if (AccountConcurrency < 1)
        {
            yield return new("platform.account_concurrency", "expected an account concurrency of at least 1");
        }
        if (!(RequestTimeout > 0))
        {
            yield return new("platform.request_timeout", "expected a request timeout above 0 s");
        }
        if (!(InstanceStorageBandwidth > 0) || !(InstanceNetworkBandwidth > 0))
        {
            yield return new(InstanceStorageBandwidth > 0 ? "platform.instance_network" : "platform.instance_storage", "expected a bandwidth above 0 bytes per second");
        }
    }

    /// <summary>
    /// The longest chain of calls accepted, function to function. Assumed: real chains are a few
    /// functions long (AWS Lambda's recursion detection stops a loop after 16 calls); a deeper
    /// one is a generated file, and refusing it keeps every walk of the chain bounded.
    /// </summary>
    public const int MaxCallDepth = 1_000;

    /// <summary>
    /// A call that closes a cycle (the functions would invoke each other without end), or that
    /// makes a chain deeper than <see cref="MaxCallDepth"/>, by a depth-first search in
    /// declaration order with a stack of its own (a chain of any length cannot exhaust the
    /// thread's); null if none.
    /// </summary>
    private SpecError? FindCycle(Dictionary<string, int> index)
    {
        var state = new int[Functions.Count];   // 1: on the path, 2: done
        var path = new Stack<(int Function, int NextCall)>();
        for (int root = 0; root < Functions.Count; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }
            state[root] = 1;
            path.Push((root, 0));
            while (path.Count > 0)
            {
                var (i, j) = path.Pop();
                var calls = Functions[i].Calls ?? [];
                if (j == calls.Count)
                {
                    state[i] = 2;
                    continue;
                }
                path.Push((i, j + 1));
                if (!index.TryGetValue(calls[j].Function, out int callee))
                {
                    continue;
                }
                string where = $"{SpecPath.Item("functions", i)}.{SpecPath.Item("calls", j)}.function";
                if (state[callee] == 1)
                {
                    return new(where, $"calling '{calls[j].Function}' from '{Functions[i].Name}' closes a cycle: the functions would invoke each other without end");
                }
                if (state[callee] == 0)
                {
                    if (path.Count >= MaxCallDepth)
                    {
                        return new(where, $"calling '{calls[j].Function}' from '{Functions[i].Name}' makes a chain of calls more than {MaxCallDepth:N0} functions deep; expected a chain of a few functions");
                    }
                    state[callee] = 1;
                    path.Push((callee, 0));
                }
            }
        }
        return null;
    }
}
