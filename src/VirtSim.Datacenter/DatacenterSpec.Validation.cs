using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Validation;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter;

public sealed partial record DatacenterSpec
{
    /// <summary>
    /// Why the datacenter cannot be simulated, with paths in a scenario file's terms
    /// (<c>datacenter.hosts[i]</c>, <c>datacenter.engines[i]</c>, <c>vms[i]</c>, <c>services[i]</c>,
    /// <c>batches[i]</c>, <c>pods[i]</c>, <c>functions[i]</c>, <c>platform</c>): each part's own errors,
    /// names declared twice, references to engine groups not declared, and what could never start
    /// (a VM no host admits, a pod or function instance no engine holds, more never-ending pods on
    /// a host port than engines); empty when it can. <see cref="Datacenter"/> refuses a spec with
    /// errors; the scenario readers report the first at its line.
    /// </summary>
    public IEnumerable<SpecError> Validate()
    {
        var hosts = HostGroups;
        for (int i = 0; i < hosts.Count; i++)
        {
            string at = SpecPath.Item("datacenter.hosts", i);
            foreach (var error in hosts[i].Validate())
            {
                yield return error.Under(at);
            }
            if (hosts.Take(i).Any(h => h.Host.Group == hosts[i].Host.Group))
            {
                yield return new(at + ".group", $"a host group named '{hosts[i].Host.Group}' is declared twice");
            }
        }
        var engines = EngineGroups ?? [];
        var engineNames = new Dictionary<string, EngineGroupSpec>(StringComparer.Ordinal);
        for (int i = 0; i < engines.Count; i++)
        {
            string at = SpecPath.Item("datacenter.engines", i);
            foreach (var error in engines[i].Validate(hosts))
            {
                yield return error.Under(at);
            }
            if (!engineNames.TryAdd(engines[i].Name, engines[i]))
            {
                yield return new(at + ".name", $"an engine group named '{engines[i].Name}' is declared twice");
            }
        }
        for (int i = 0; i < Vms.Count; i++)
        {
            foreach (var error in VmErrors(Vms[i].Vm))
            {
                yield return error.Under(SpecPath.Item("vms", i));
            }
            if (Vms[i].Count < 1)
            {
                yield return new(SpecPath.Item("vms", i) + ".count", "expected at least one VM");
            }
        }
        var workloads = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Services.Count; i++)
        {
            var service = Services[i];
            string at = SpecPath.Item("services", i);
            foreach (var error in Placeable(service.Vm, service.Pod, service.EngineGroup, engineNames))
            {
                yield return error.Under(at);
            }
            if (service.Backend is { } backend)
            {
                foreach (var error in Placeable(null, backend.Pod, backend.EngineGroup, engineNames))
                {
                    yield return error.Under(at + ".backend");
                }
            }
            if (service.Replicas < 1 || service.Workers < 1)
            {
                yield return new(at + (service.Replicas < 1 ? ".replicas" : ".workers"), "expected at least 1");
            }
            if (!workloads.Add(service.Name))
            {
                yield return new(at + ".name", $"a service or batch named '{service.Name}' is declared twice");
            }
        }
        for (int i = 0; i < Batches.Count; i++)
        {
            var batch = Batches[i];
            string at = SpecPath.Item("batches", i);
            foreach (var error in Placeable(batch.Vm, batch.Pod, batch.EngineGroup, engineNames))
            {
                yield return error.Under(at);
            }
            if (batch.Tasks < 1 || (batch.Vm is not null && batch.Replicas < 1))
            {
                yield return new(at + (batch.Tasks < 1 ? ".tasks" : ".replicas"), "expected at least 1");
            }
            if (!workloads.Add(batch.Name))
            {
                yield return new(at + ".name", $"a service or batch named '{batch.Name}' is declared twice");
            }
        }
        for (int i = 0; i < Vms.Count; i++)
        {
            // Results group metrics by the name before the dot: a VM group and a service of one name would be one group.
            if (workloads.Contains(Vms[i].Vm.Name))
            {
                yield return new(SpecPath.Item("vms", i) + ".name", $"a service or batch is named '{Vms[i].Vm.Name}' too: their metrics ({Vms[i].Vm.Name}.vm_startup_mean beside {Vms[i].Vm.Name}.response_time_mean, ...) would be reported as one group");
            }
        }
        var pods = Pods ?? [];
        for (int i = 0; i < pods.Count; i++)
        {
            string at = SpecPath.Item("pods", i);
            foreach (var error in Placeable(null, pods[i].Pod, pods[i].EngineGroup, engineNames, podKey: ""))
            {
                yield return error.Under(at);
            }
            if (pods[i].Count < 1)
            {
                yield return new(at + ".count", "expected at least one pod");
            }
            // A pod's name seeds its containers' random streams: two groups of one name would draw the same numbers.
            if (pods.Take(i).Any(g => g.Pod.Name == pods[i].Pod.Name))
            {
                yield return new(at + ".name", $"a pod group named '{pods[i].Pod.Name}' is declared twice");
            }
        }
        if (HostPortClash(engineNames) is { } clash)
        {
            yield return clash;
        }
        if (Functions is { } platform)
        {
            foreach (var error in platform.Validate())
            {
                yield return error;
            }
            for (int i = 0; i < platform.Functions.Count; i++)
            {
                var function = platform.Functions[i];
                string at = SpecPath.Item("functions", i);
                if (workloads.Contains(function.Name))
                {
                    yield return new(at + ".name", $"a service or batch is named '{function.Name}' too: their metrics ({function.Name}.response_time_mean, ...) would take the same names");
                }
                if (platform.EngineGroup is { } engineGroup && function.Image is not null && function.MemoryBytes > 0)
                {
                    if (!engineNames.TryGetValue(engineGroup, out var group))
                    {
                        yield return SpecError.UnknownName("platform.engines", "engine group", engineGroup, engineNames.Keys);
                        yield break;
                    }
                    var pod = function.InstancePod();
                    foreach (var error in group.CheckSomeEngineFits(pod, hosts,
                        $"an instance of function '{function.Name}' ({pod.MemoryBytes / 1e9:G4} GB memory and {pod.CpuRequest:G4} vCPUs, one per {Serverless.FunctionPlatformSpec.BytesPerVcpu / 1e6:G5} MB)"))
                    {
                        yield return error.Under(at + ".memory");
                    }
                }
            }
        }
    }

    private IEnumerable<SpecError> VmErrors(VmSpec vm) => vm.Validate().Concat(vm.CheckSomeHostFits(HostGroups));

    /// <summary>A workload's VM or pod (exactly one): its own errors and whether anything could ever run it.</summary>
    /// <remarks>A pod group is a pod itself (<paramref name="podKey"/> ""); a service or batch holds one under <c>pod</c>.</remarks>
    private IEnumerable<SpecError> Placeable(VmSpec? vm, PodSpec? pod, string? engineGroup, Dictionary<string, EngineGroupSpec> engines, string podKey = "pod")
    {
        if ((vm is null) == (pod is null))
        {
            yield return new("", "expected either vm or pod, not both");
            yield break;
        }
        if (vm is not null)
        {
            foreach (var error in VmErrors(vm))
            {
                yield return error.Under("vm");
            }
            yield break;
        }
        bool valid = true;
        foreach (var error in pod!.Validate())
        {
            valid = false;
            yield return error.Under(podKey);
        }
        if (engineGroup is null || !engines.TryGetValue(engineGroup, out var group))
        {
            yield return SpecError.UnknownName(SpecPath.Join(podKey, "engines"), "engine group", engineGroup, engines.Keys);
            yield break;
        }
        if (valid)
        {
            foreach (var error in group.CheckSomeEngineFits(pod, HostGroups))
            {
                yield return error.Under(podKey);
            }
        }
    }

    /// <summary>
    /// One host port of a node serves one pod at a time, so pods that never end (a service's
    /// replicas and backends, pods without a finite main process) binding the same port cannot
    /// outnumber the engines their group can ever have: the rest would wait for ever.
    /// </summary>
    private SpecError? HostPortClash(Dictionary<string, EngineGroupSpec> engines)
    {
        var demands = Services.SelectMany((s, i) => new[]
            {
                (At: SpecPath.Item("services", i), s.Pod, s.EngineGroup, Count: s.Replicas),
                (At: SpecPath.Item("services", i), s.Backend?.Pod, s.Backend?.EngineGroup, Count: s.Backend?.Replicas ?? 0),
            })
            .Concat((Pods ?? []).Select((g, i) => (At: SpecPath.Item("pods", i), (PodSpec?)g.Pod, (string?)g.EngineGroup,
                Count: g.Pod.Containers.All(c => c.MainProcessCpu is null) ? g.Count : 0)));
        var bound = new Dictionary<(string Group, int Port), int>();
        foreach (var (at, pod, engineGroup, count) in demands)
        {
            if (pod is null || engineGroup is null || count == 0 || !engines.TryGetValue(engineGroup, out var group))
            {
                continue;
            }
            int nodes = group.MostEngines(HostGroups);
            foreach (int port in pod.HostPorts.Distinct())
            {
                int total = bound[(engineGroup, port)] = bound.GetValueOrDefault((engineGroup, port)) + count;
                if (total > nodes)
                {
                    return new(at, $"{total} pods that run until stopped bind host port {port} on engine group '{engineGroup}', which has at most {nodes} engine{(nodes == 1 ? "" : "s")}: a node's port serves one pod, so {total - nodes} of them could never start");
                }
            }
        }
        return null;
    }
}
