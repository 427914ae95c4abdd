namespace VirtSim.Datacenter.Serverless;

/// <summary>One cold start of a function instance, in simulated seconds.</summary>
/// <param name="Function">The function.</param>
/// <param name="Requested">When the invocation asked for a new instance.</param>
/// <param name="ContainerRunning">When its container ran (on engines; else <paramref name="Requested"/>).</param>
/// <param name="Ready">When runtime and function initialization ended and the execution began.</param>
public readonly record struct ColdStart(string Function, double Requested, double ContainerRunning, double Ready);
