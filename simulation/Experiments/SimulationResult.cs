using SageServe.Simulation.Metrics;

namespace SageServe.Simulation.Experiments;

/// <summary>What one run produced.</summary>
/// <param name="Metrics">Request outcomes by region, model and tier.</param>
/// <param name="Requests">Requests replayed.</param>
/// <param name="VirtualStart">Virtual time at start.</param>
/// <param name="VirtualEnd">Virtual time at the cut-off.</param>
/// <param name="GpuHours">GPU-hours the fleet held.</param>
/// <param name="GrainCalls">Activations and other runtime counters, for the curious.</param>
public sealed record SimulationResult(
    MetricsCollector Metrics,
    long Requests,
    DateTimeOffset VirtualStart,
    DateTimeOffset VirtualEnd,
    double GpuHours,
    long GrainCalls);
