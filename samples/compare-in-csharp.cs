// The web API of scenarios/examples/compare-web-api.yaml, written in C# with VirtSim's API
// instead of YAML: four 2-vCPU VMs, four 1-core containers and a function, the same arrivals
// for each. It prints the comparison table and the scenario document the API built (save that
// as a file and `virtsim compare` runs the same comparison).
//
//     dotnet run samples/compare-in-csharp.cs
#:project ../src/VirtSim.Experiments/VirtSim.Experiments.csproj

using VirtSim.Experiments.Api;
using VirtSim.Experiments.Running;

var hosts = new[]
{
    Hosts.Group("vm-hosts", count: 4, cores: 16, memory: "64GiB", hypervisor: "type1", price: "0.80/h"),
    Hosts.Group("container-hosts", count: 4, cores: 16, memory: "64GiB", hypervisor: "none", price: "0.80/h"),
};
var api = Workload.Poisson("40/s", cpu: "25ms exponential", network: "20KB");
Deployment[] deployments =
[
    Deploy.OnVms(replicas: 4, Image.Vm("api-vm", "4GB"), vcpus: 2, memory: "4GiB", hostGroup: "vm-hosts"),
    Deploy.InPods(replicas: 4, Image.Layers("api", "FROM node:22-slim 200MB", "COPY api /srv 30MB"), cpu: 1, memory: "512MiB"),
    Deploy.AsFunction(memory: "512MiB", keepAlive: "10min", runtimeInit: "300ms", functionInit: "400ms"),
];

try
{
    var result = Compare.Run(hosts, api, deployments, duration: "1h", warmup: "10min", replications: 3,
        network: Net.Star("10Gbps", latency: "50us", efficiency: 0.9), name: "web-api-in-csharp");
    Console.WriteLine(result.Table());
    Console.WriteLine($"The function's p99 is {result.Mean(ComparisonMeasures.LatencyP99, "functions"):F3} s; the VMs' {result.Mean(ComparisonMeasures.LatencyP99, "vms"):F3} s.");
    Console.WriteLine();
    Console.WriteLine("The same comparison as a scenario file:");
    Console.WriteLine(Compare.Document(hosts, api, deployments, duration: "1h", warmup: "10min", replications: 3));
}
catch (ModelException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
return 0;
