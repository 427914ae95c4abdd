using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Virtualization;

namespace VirtSim.Datacenter;

public sealed partial class Datacenter
{
    /// <summary>What the datacenter measured since the last reset, each value with its unit.</summary>
    public IReadOnlyList<Measurement> Measure()
    {
        double now = _sim.Now;
        double span = now - _measuredSince;
        var results = new List<Measurement>();
        foreach (var service in _services)
        {
            string n = service.Spec.Name;
            results.Add(new(MetricCatalogue.ServiceResponseMean.Of(n), service.Response.Mean));
            results.Add(new(MetricCatalogue.ServiceResponseP50.Of(n), service.ResponseQuantiles.Quantile(0.50)));
            results.Add(new(MetricCatalogue.ServiceResponseP95.Of(n), service.ResponseQuantiles.Quantile(0.95)));
            results.Add(new(MetricCatalogue.ServiceResponseP99.Of(n), service.ResponseQuantiles.Quantile(0.99)));
            results.Add(new(MetricCatalogue.ServiceThroughput.Of(n), span > 0 ? service.Response.Count / span : double.NaN));
            results.Add(new(MetricCatalogue.ServiceRequests.Of(n), service.Arrived));
            results.Add(new(MetricCatalogue.ServiceRequestsFailed.Of(n), service.Failed));
            if (service.Spec.RequestLimit is not null)
            {
                results.Add(new(MetricCatalogue.ServiceMakespan.Of(n), service.Makespan));
            }
            if (service.Spec.Call is not null)
            {
                results.Add(new(MetricCatalogue.ServiceCallTime.Of(n), service.CallTime.Mean));
            }
        }
        if (Functions is not null)
        {
            results.AddRange(Functions.Measure());
        }
        foreach (var batch in _batches)
        {
            results.Add(new(MetricCatalogue.BatchMakespan.Of(batch.Spec.Name), batch.FinishedAt));
            results.Add(new(MetricCatalogue.BatchTasksDone.Of(batch.Spec.Name), batch.TasksDone));
        }
        results.Add(new(MetricCatalogue.VmStartupMean.Key, _startup.Mean));
        results.Add(new(MetricCatalogue.VmStartupMax.Key, _startup.Max));
        var names = _vms.Select(v => v.Spec.Name).Distinct().ToList();
        if (names.Count > 1)
        {
            foreach (string name in names)
            {
                var started = _vms.Where(v => v.Spec.Name == name && !double.IsNaN(v.RunningSince)).ToList();
                results.Add(new(MetricCatalogue.VmGroupStartupMean.Of(name), started.Count == 0 ? double.NaN : started.Average(v => v.StartupSeconds)));
            }
        }
        results.Add(new(MetricCatalogue.VmsRunning.Key, _vms.Count(v => v.Phase == VmPhase.Running)));
        results.Add(new(MetricCatalogue.VmsRejected.Key, _rejected));
        results.Add(new(MetricCatalogue.VmCrashes.Key, _crashes));
        if (Containers is { } cluster)
        {
            var engines = cluster.Engines.ToList();
            long layerHits = engines.Sum(e => e.LayerHits), layerMisses = engines.Sum(e => e.LayerMisses);
            results.Add(new(MetricCatalogue.PodStartupMean.Key, _podStartup.Mean));
            results.Add(new(MetricCatalogue.PodStartupMax.Key, _podStartup.Max));
            results.Add(new(MetricCatalogue.PodsStarted.Key, _podStartup.Count));
            // A pod no engine can take (no room, or its host port taken on every node) waits: say so.
            results.Add(new(MetricCatalogue.PodsPending.Key, cluster.PodsPending));
            results.Add(new(MetricCatalogue.LayerBytesPulled.Key, engines.Sum(e => e.BytesPulled)));
            results.Add(new(MetricCatalogue.LayerBytesPerNode.Key, engines.Count == 0 ? double.NaN : engines.Average(e => e.BytesPulled)));
            results.Add(new(MetricCatalogue.LayerCacheHitRatio.Key, layerHits + layerMisses == 0 ? double.NaN : (double)layerHits / (layerHits + layerMisses)));
            results.Add(new(MetricCatalogue.Engines.Key, engines.Count));
            results.Add(new(MetricCatalogue.EnginesUsed.Key, engines.Count(e => e.LayerHits + e.LayerMisses > 0)));
            results.Add(new(MetricCatalogue.AutoscalerAdded.Key, cluster.ScaledOut));
            results.Add(new(MetricCatalogue.AutoscalerRemoved.Key, cluster.ScaledIn));
            foreach (var group in _podGroups)
            {
                string n = group.Spec.Pod.Name;
                var started = group.Pods.Where(p => !double.IsNaN(p.RunningSince)).ToList();
                results.Add(new(MetricCatalogue.PodGroupStartupMean.Of(n), started.Count == 0 ? double.NaN : started.Average(p => p.StartupSeconds)));
                // The time to roll the group out: from its first request to its last pod running.
                results.Add(new(MetricCatalogue.PodGroupRollout.Of(n), started.Count < group.Spec.Count ? double.NaN
                    : started.Max(p => p.RunningSince) - group.Pods.Min(p => p.RequestedAt)));
                results.Add(new(MetricCatalogue.PodGroupBytesPulled.Of(n), group.Pods.Sum(p => p.BytesPulled)));
                results.Add(new(MetricCatalogue.PodGroupPending.Of(n), group.Pods.Count(p => p.Phase == PodPhase.Pending)));
            }
        }
        double pulled = _hypervisors.Sum(h => h.ImageBytesPulled);
        int hits = _hypervisors.Sum(h => h.ImageHits), misses = _hypervisors.Sum(h => h.ImageMisses);
        results.Add(new(MetricCatalogue.ImageBytesPulled.Key, pulled));
        results.Add(new(MetricCatalogue.ImageCacheHitRatio.Key, hits + misses == 0 ? double.NaN : (double)hits / (hits + misses)));
        var used = _hosts.Where(h => h.WasUsed).ToList();
        results.Add(new(MetricCatalogue.HostsUsed.Key, used.Count));
        double capacitySeconds = used.Sum(h => h.Spec.CpuCapacity * h.UsedSeconds(now));
        results.Add(new(MetricCatalogue.HostCpuUtilization.Key, capacitySeconds > 0 ? used.Sum(h => h.BusyCoreSeconds) / capacitySeconds : double.NaN));
        // The power model at each host's mean utilization while in use, for as long as it was used
        // (the model is linear, so that is the integral of its power over time).
        double joules = used.Sum(h => h.UsedSeconds(now) is var seconds and > 0
            ? h.Spec.Power.At(h.BusyCoreSeconds / (h.Spec.CpuCapacity * seconds)) * seconds : 0);
        results.Add(new(MetricCatalogue.Energy.Key, joules / 3.6e6));
        double cost = used.Sum(h => h.Spec.PricePerSecond * h.UsedSeconds(now))
            + _vms.Sum(v => v.Spec.PricePerSecond * (v.RunningSeconds + (double.IsNaN(v.RunningMark) ? 0 : now - v.RunningMark)));
        results.Add(new(MetricCatalogue.Cost.Key, cost));
        results.Add(new(MetricCatalogue.CostPerHour.Key, span > 0 ? cost / (span / 3600) : double.NaN));
        return results;
    }
}
