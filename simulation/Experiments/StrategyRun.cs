using SageServe.Simulation.Metrics;

namespace SageServe.Simulation.Experiments;

/// <summary>What one strategy's run produced.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Requests">Request outcomes by region, model and tier.</param>
/// <param name="Fleet">GPU-hours, cost, scaling actions, time series.</param>
/// <param name="ArrivedRequests">Requests replayed.</param>
/// <param name="NiwOverdueAtCutoff">NIW requests still queued past their deadline at the cut-off.</param>
/// <param name="VirtualStart">Virtual start.</param>
/// <param name="VirtualEnd">Virtual cut-off.</param>
/// <param name="LastArrival">Offset of the last arrival.</param>
public sealed record StrategyRun(
    string Strategy,
    MetricsCollector Requests,
    FleetCollector Fleet,
    long ArrivedRequests,
    long NiwOverdueAtCutoff,
    DateTimeOffset VirtualStart,
    DateTimeOffset VirtualEnd,
    TimeSpan LastArrival);
