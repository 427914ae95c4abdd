using System.Reflection;
using static VirtSim.Datacenter.Metrics.Better;
using static VirtSim.Datacenter.Metrics.MetricSubject;

namespace VirtSim.Datacenter.Metrics;

/// <summary>Every metric VirtSim measures, declared once. <c>virtsim metrics</c> prints them.</summary>
public static class MetricCatalogue
{
    // A queueing station.
    /// <summary>Mean time from arrival to departure.</summary>
    public static readonly Metric StationResponseMean = new("response_time_mean", "s", "mean time from arrival to departure", Lower, Station);
    /// <summary>Median response time.</summary>
    public static readonly Metric StationResponseP50 = new("response_time_p50", "s", "median response time (quantile sketch, 0.5% relative error)", Lower, Station);
    /// <summary>95th percentile of the response time.</summary>
    public static readonly Metric StationResponseP95 = new("response_time_p95", "s", "95th percentile of the response time", Lower, Station);
    /// <summary>99th percentile of the response time.</summary>
    public static readonly Metric StationResponseP99 = new("response_time_p99", "s", "99th percentile of the response time", Lower, Station);
    /// <summary>Mean time spent waiting for a server (FCFS).</summary>
    public static readonly Metric StationWaitMean = new("waiting_time_mean", "s", "mean time spent waiting for a server (first come, first served only)", Lower, Station);
    /// <summary>Share of customers that waited.</summary>
    public static readonly Metric StationWaitProbability = new("wait_probability", "fraction", "share of customers that found every server busy (first come, first served only)", Lower, Station);
    /// <summary>Share of arrivals lost to a full station.</summary>
    public static readonly Metric StationLossProbability = new("loss_probability", "fraction", "share of arrivals lost because the station was full (with a capacity)", Lower, Station);
    /// <summary>Busy servers over servers.</summary>
    public static readonly Metric StationUtilization = new("utilization", "fraction", "busy servers over servers, time-weighted", Neither, Station);
    /// <summary>Customers in the station, time-weighted.</summary>
    public static readonly Metric StationInSystem = new("mean_in_system", "customers", "customers in the station, time-weighted", Lower, Station);
    /// <summary>Departures per second.</summary>
    public static readonly Metric StationThroughput = new("throughput", "1/s", "departures per second", Higher, Station);
    /// <summary>Customers that departed.</summary>
    public static readonly Metric StationServed = new("customers_served", "customers", "customers that departed while measuring", Neither, Station);

    // A service.
    /// <summary>A service's mean response time.</summary>
    public static readonly Metric ServiceResponseMean = new("response_time_mean", "s", "mean time from a request's arrival to its response reaching the gateway", Lower, Service);
    /// <summary>A service's median response time.</summary>
    public static readonly Metric ServiceResponseP50 = new("response_time_p50", "s", "median response time", Lower, Service);
    /// <summary>A service's 95th percentile.</summary>
    public static readonly Metric ServiceResponseP95 = new("response_time_p95", "s", "95th percentile of the response time", Lower, Service);
    /// <summary>A service's 99th percentile.</summary>
    public static readonly Metric ServiceResponseP99 = new("response_time_p99", "s", "99th percentile of the response time", Lower, Service);
    /// <summary>A service's completed requests per second.</summary>
    public static readonly Metric ServiceThroughput = new("throughput", "1/s", "responses per second", Higher, Service);
    /// <summary>Requests that arrived.</summary>
    public static readonly Metric ServiceRequests = new("requests", "requests", "requests that arrived while measuring", Neither, Service);
    /// <summary>Requests that failed.</summary>
    public static readonly Metric ServiceRequestsFailed = new("requests_failed", "requests", "requests lost to a failed replica or a missing backend", Lower, Service);
    /// <summary>A job's makespan.</summary>
    public static readonly Metric ServiceMakespan = new("makespan", "s", "for a job of so many requests: from the start until the last one ended", Lower, Service);
    /// <summary>Mean time of a request's call to its backend.</summary>
    public static readonly Metric ServiceCallTime = new("call_time_mean", "s", "mean time of a request's call to its backend, there and back", Lower, Service);

    // A batch job.
    /// <summary>A batch's makespan.</summary>
    public static readonly Metric BatchMakespan = new("makespan", "s", "from the start until the last task ended", Lower, Batch);
    /// <summary>Tasks done.</summary>
    public static readonly Metric BatchTasksDone = new("tasks_done", "tasks", "tasks that ended", Higher, Batch);

    // VMs.
    /// <summary>Mean VM start-up.</summary>
    public static readonly Metric VmStartupMean = new("vm_startup_mean", "s", "mean time from a VM's request to its running (warm-up included: VMs start at the beginning)", Lower, Run);
    /// <summary>Longest VM start-up.</summary>
    public static readonly Metric VmStartupMax = new("vm_startup_max", "s", "longest time from a VM's request to its running", Lower, Run);
    /// <summary>Mean start-up of the VMs of one name.</summary>
    public static readonly Metric VmGroupStartupMean = new("vm_startup_mean", "s", "mean start-up of the VMs of this name (when there are several names)", Lower, VmGroup);
    /// <summary>VMs running at the end.</summary>
    public static readonly Metric VmsRunning = new("vms_running", "VMs", "VMs running at the end", Neither, Run);
    /// <summary>VMs no host admitted.</summary>
    public static readonly Metric VmsRejected = new("vms_rejected", "VMs", "VMs refused because no host admitted them (admission: reject)", Lower, Run);
    /// <summary>VM crashes.</summary>
    public static readonly Metric VmCrashes = new("vm_crashes", "crashes", "VMs that crashed (with vm_mttf)", Lower, Run);
    /// <summary>Image bytes moved.</summary>
    public static readonly Metric ImageBytesPulled = new("image_bytes_pulled", "B", "VM image bytes moved from the repository to hosts", Lower, Run);
    /// <summary>Image cache hits.</summary>
    public static readonly Metric ImageCacheHitRatio = new("image_cache_hit_ratio", "fraction", "share of images needed that started no transfer (cached, or joining one under way)", Higher, Run);

    // Containers.
    /// <summary>Mean pod start-up.</summary>
    public static readonly Metric PodStartupMean = new("pod_startup_mean", "s", "mean time from a pod's request to its containers running", Lower, Run);
    /// <summary>Longest pod start-up.</summary>
    public static readonly Metric PodStartupMax = new("pod_startup_max", "s", "longest time from a pod's request to its containers running", Lower, Run);
    /// <summary>Pods started.</summary>
    public static readonly Metric PodsStarted = new("pods_started", "pods", "pods whose containers ran", Neither, Run);
    /// <summary>Pods still waiting for an engine.</summary>
    public static readonly Metric PodsPending = new("pods_pending", "pods", "pods still waiting at the end for an engine with room (cores, memory, a free host port)", Lower, Run);
    /// <summary>Layer bytes moved.</summary>
    public static readonly Metric LayerBytesPulled = new("layer_bytes_pulled", "B", "container layer bytes moved from the registry to nodes", Lower, Run);
    /// <summary>Layer bytes per node.</summary>
    public static readonly Metric LayerBytesPerNode = new("layer_bytes_pulled_per_node", "B", "layer bytes moved, per engine", Lower, Run);
    /// <summary>Layer cache hits.</summary>
    public static readonly Metric LayerCacheHitRatio = new("layer_cache_hit_ratio", "fraction", "share of layers needed that started no pull (cached, or joining one under way)", Higher, Run);
    /// <summary>Engines.</summary>
    public static readonly Metric Engines = new("engines", "engines", "container engines at the end", Neither, Run);
    /// <summary>Engines that ran something.</summary>
    public static readonly Metric EnginesUsed = new("engines_used", "engines", "engines that ran at least one pod", Lower, Run);
    /// <summary>VMs the autoscaler added.</summary>
    public static readonly Metric AutoscalerAdded = new("autoscaler_vms_added", "VMs", "engine VMs the cluster autoscaler added", Neither, Run);
    /// <summary>VMs the autoscaler removed.</summary>
    public static readonly Metric AutoscalerRemoved = new("autoscaler_vms_removed", "VMs", "engine VMs the cluster autoscaler removed", Neither, Run);
    /// <summary>A pod group's mean start-up.</summary>
    public static readonly Metric PodGroupStartupMean = new("pod_startup_mean", "s", "mean start-up of the group's pods", Lower, PodGroup);
    /// <summary>A pod group's rollout.</summary>
    public static readonly Metric PodGroupRollout = new("rollout_time", "s", "from the group's first request to its last pod running", Lower, PodGroup);
    /// <summary>A pod group's layer bytes.</summary>
    public static readonly Metric PodGroupBytesPulled = new("bytes_pulled", "B", "layer bytes the group's pods pulled", Lower, PodGroup);
    /// <summary>A pod group's pods still waiting.</summary>
    public static readonly Metric PodGroupPending = new("pods_pending", "pods", "the group's pods still waiting at the end for an engine with room", Lower, PodGroup);

    // Hosts, energy and money.
    /// <summary>Hosts used.</summary>
    public static readonly Metric HostsUsed = new("hosts_used", "hosts", "hosts that ran anything", Lower, Run);
    /// <summary>CPU utilization of the hosts used.</summary>
    public static readonly Metric HostCpuUtilization = new("host_cpu_utilization", "fraction", "busy core-seconds over the capacity of the hosts used, while used", Neither, Run);
    /// <summary>Energy.</summary>
    public static readonly Metric Energy = new("energy", "kWh", "energy of the hosts used (linear power model)", Lower, Run);
    /// <summary>Cost.</summary>
    public static readonly Metric Cost = new("cost", "USD", "host-hours and VM-hours at their prices", Lower, Run);
    /// <summary>Cost per hour.</summary>
    public static readonly Metric CostPerHour = new("cost_per_hour", "USD/h", "cost per hour measured", Lower, Run);

    // Functions.
    /// <summary>Invocations.</summary>
    public static readonly Metric FunctionInvocations = new("invocations", "invocations", "invocations that arrived while measuring", Neither, Function);
    /// <summary>Invocations completed.</summary>
    public static readonly Metric FunctionCompleted = new("completed", "invocations", "invocations that arrived while measuring and completed (not killed) by the end", Neither, Function);
    /// <summary>Cold-start ratio.</summary>
    public static readonly Metric FunctionColdStartRatio = new("cold_start_ratio", "fraction", "share of invocations that started a new instance", Lower, Function);
    /// <summary>A function's mean response.</summary>
    public static readonly Metric FunctionResponseMean = new("response_time_mean", "s", "mean time from invocation to response, cold starts included", Lower, Function);
    /// <summary>A function's median response.</summary>
    public static readonly Metric FunctionResponseP50 = new("response_time_p50", "s", "median response time", Lower, Function);
    /// <summary>A function's 95th percentile.</summary>
    public static readonly Metric FunctionResponseP95 = new("response_time_p95", "s", "95th percentile of the response time", Lower, Function);
    /// <summary>A function's 99th percentile.</summary>
    public static readonly Metric FunctionResponseP99 = new("response_time_p99", "s", "99th percentile of the response time", Lower, Function);
    /// <summary>Warm mean response.</summary>
    public static readonly Metric FunctionWarmMean = new("response_time_warm_mean", "s", "mean response time of warm invocations", Lower, Function);
    /// <summary>Warm 99th percentile.</summary>
    public static readonly Metric FunctionWarmP99 = new("response_time_warm_p99", "s", "99th percentile of warm invocations' response time", Lower, Function);
    /// <summary>Cold mean response.</summary>
    public static readonly Metric FunctionColdMean = new("response_time_cold_mean", "s", "mean response time of cold invocations", Lower, Function);
    /// <summary>Cold start.</summary>
    public static readonly Metric FunctionColdStartMean = new("cold_start_mean", "s", "mean time a cold start took before execution: container (on engines) and initialization, warm-up included", Lower, Function);
    /// <summary>Timeouts.</summary>
    public static readonly Metric FunctionTimeouts = new("timeouts", "invocations", "invocations killed at the execution-time limit", Lower, Function);
    /// <summary>Abandoned while waiting for a container.</summary>
    public static readonly Metric FunctionAbandoned = new("abandoned", "invocations", "invocations the gateway gave up waiting for a new container (on engines, after the platform's request timeout)", Lower, Function);
    /// <summary>Throttled.</summary>
    public static readonly Metric FunctionThrottled = new("throttled", "invocations", "invocations rejected over a concurrency limit", Lower, Function);
    /// <summary>A function job's makespan.</summary>
    public static readonly Metric FunctionMakespan = new("makespan", "s", "for a job of so many invocations: from the start until the last one ended", Lower, Function);
    /// <summary>Pings.</summary>
    public static readonly Metric FunctionPings = new("pings", "pings", "keep-alive pings the user sent", Neither, Function);
    /// <summary>vCPUs of an instance on engines.</summary>
    public static readonly Metric FunctionInstanceVcpus = new("instance_vcpus", "vCPUs", "cores of an instance on container engines (vcpus, or memory / 1,769 MB)", Neither, Function);
    /// <summary>Instances waiting for an engine.</summary>
    public static readonly Metric FunctionInstancesWaiting = new("instances_waiting_mean", "instances", "calls whose new container waits for an engine with room, time-weighted (on engines)", Lower, Function);
    /// <summary>Container wait.</summary>
    public static readonly Metric FunctionContainerWait = new("container_wait_mean", "s", "mean time a new container waited for an engine with room (on engines)", Lower, Function);
    /// <summary>Instances.</summary>
    public static readonly Metric FunctionInstances = new("instances_mean", "instances", "instances (containers that exist or are starting), busy or kept warm, time-weighted", Neither, Function);
    /// <summary>Busy instances.</summary>
    public static readonly Metric FunctionInstancesBusy = new("instances_busy_mean", "instances", "instances serving an invocation or starting for one, time-weighted", Neither, Function);
    /// <summary>Idle instances.</summary>
    public static readonly Metric FunctionInstancesIdle = new("instances_idle_mean", "instances", "instances kept warm and idle, time-weighted", Lower, Function);
    /// <summary>Idle GB-seconds.</summary>
    public static readonly Metric FunctionIdleGbSeconds = new("idle_gb_seconds", "GB-s", "memory kept warm but unused", Lower, Function);
    /// <summary>A function's bill.</summary>
    public static readonly Metric FunctionBill = new("bill", "USD", "what the invocations and provisioned instances cost at the provider's prices", Lower, Function);
    /// <summary>All functions' bill.</summary>
    public static readonly Metric FaasBill = new("faas_bill", "USD", "the bill of every function", Lower, Run);
    /// <summary>All functions' idle GB-seconds.</summary>
    public static readonly Metric FaasIdleGbSeconds = new("faas_idle_gb_seconds", "GB-s", "memory kept warm but unused, every function", Lower, Run);

    /// <summary>Every metric, in the order declared.</summary>
    public static IReadOnlyList<Metric> All { get; } = typeof(MetricCatalogue)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Metric))
        .OrderBy(f => f.MetadataToken)
        .Select(f => (Metric)f.GetValue(null)!)
        .ToList();
}
