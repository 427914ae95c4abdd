using VirtSim.Kernel.Statistics;

namespace VirtSim.Experiments.Running;

/// <summary>One metric across replications: its mean and 95% confidence interval.</summary>
public sealed record MetricSummary(string Name, string Unit, ConfidenceInterval Interval);
