using VirtSim.Datacenter.Containers;
using VirtSim.Datacenter.Metrics;
using VirtSim.Datacenter.Serverless;

namespace VirtSim.Experiments.Running;

/// <summary>What one replication measured.</summary>
/// <param name="Index">Replication number, from 0.</param>
/// <param name="Seed">The seed it ran with, derived from the scenario seed and the index.</param>
/// <param name="Measurements">Its measurements, in the model's order.</param>
/// <param name="Events">Events the kernel processed.</param>
/// <param name="Timeline">Every VM phase change, when asked for.</param>
/// <param name="Utilization">The monitor's CPU utilization samples, when the timeline is asked for.</param>
/// <param name="FunctionInstances">The monitor's counts of each function's instances, with the timeline.</param>
/// <param name="PodTimeline">Every pod phase change, with the timeline.</param>
/// <param name="ColdStarts">Every cold start of a function instance, with the timeline.</param>
/// <param name="LayerPulls">Every layer a node pulled, with the timeline.</param>
public sealed record ReplicationResult(int Index, ulong Seed, IReadOnlyList<Measurement> Measurements, long Events,
    IReadOnlyList<TimelineRow>? Timeline = null, IReadOnlyList<UtilizationRow>? Utilization = null,
    IReadOnlyList<FunctionInstancesRow>? FunctionInstances = null, IReadOnlyList<PodTimelineRow>? PodTimeline = null,
    IReadOnlyList<ColdStart>? ColdStarts = null, IReadOnlyList<LayerPull>? LayerPulls = null);

/// <summary>A function's instances at one monitoring instant.</summary>
/// <param name="Time">When, in simulated seconds.</param>
/// <param name="Function">Which function.</param>
/// <param name="Busy">Instances serving an invocation.</param>
/// <param name="Idle">Instances kept warm and idle.</param>
public sealed record FunctionInstancesRow(double Time, string Function, int Busy, int Idle);

/// <summary>One utilization sample of the monitor.</summary>
/// <param name="Time">When, in simulated seconds.</param>
/// <param name="Kind"><c>host</c> or <c>vm</c>.</param>
/// <param name="Name">Which host or VM.</param>
/// <param name="CpuUtilization">Share of its CPU capacity (for a VM: of its vCPUs) in use, 0 to 1.</param>
public sealed record UtilizationRow(double Time, string Kind, string Name, double CpuUtilization);

/// <summary>A VM entering a phase.</summary>
/// <param name="Vm">The VM's number, in order of request.</param>
/// <param name="Name">The VM's name.</param>
/// <param name="Host">The host it was on, if placed.</param>
/// <param name="Phase">The phase it entered.</param>
/// <param name="Time">When, in simulated seconds.</param>
public sealed record TimelineRow(int Vm, string Name, string? Host, string Phase, double Time);

/// <summary>A pod entering a phase.</summary>
/// <param name="Pod">The pod's number, in order of request.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Engine">The engine (node) it was placed on, if placed.</param>
/// <param name="Phase">The phase it entered.</param>
/// <param name="Time">When, in simulated seconds.</param>
/// <param name="Host">The physical host under that engine, if placed.</param>
public sealed record PodTimelineRow(int Pod, string Name, string? Engine, string Phase, double Time, string? Host = null);
