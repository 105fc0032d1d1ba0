using SageServe.Grains.Domain;

namespace SageServe.Grains.Vms;

/// <summary>A VM as it reports itself.</summary>
/// <param name="Key">The VM grain key (<c>region/vm-n</c>).</param>
/// <param name="State">Empty, loading, ready or draining.</param>
/// <param name="Model">The model loaded (or loading, or draining), or null when empty.</param>
/// <param name="InstanceKey">The model instance it hosts while it holds a model, or null.</param>
/// <param name="Load">Its worker's load (running, waiting, KV tokens); zero when empty.</param>
/// <param name="LastOperationId">The last load or unload command applied.</param>
/// <param name="LastLoadTime">How long creating its last worker took (the model load), or null if it never loaded.</param>
/// <param name="Completed">Requests its workers finished since the grain activated.</param>
/// <param name="Rejected">Requests it refused or gave up (unload, abort) since the grain activated.</param>
public sealed record VmStatus(
    string Key,
    VmState State,
    ModelId? Model,
    string? InstanceKey,
    InstanceLoad Load,
    string? LastOperationId,
    TimeSpan? LastLoadTime,
    long Completed,
    long Rejected);
