namespace VirtSim.Datacenter.Metrics;

/// <summary>One number a replication produced, with its unit.</summary>
/// <param name="Name">Stable identifier, used as a CSV column and a JSON key.</param>
/// <param name="Unit">Unit of <paramref name="Value"/>, such as <c>s</c>, <c>1/s</c> or <c>fraction</c>.</param>
/// <param name="Value">The value (NaN when the replication observed nothing to measure).</param>
public readonly record struct Measurement(string Name, string Unit, double Value);
