using SageServe.Grains.Domain;
using SageServe.Runtime;

namespace SageServe.Grains.Instances;

/// <summary>
/// One replica of a model (key: <c>region/model/index</c>). It hosts the worker driver, hands it requests, and
/// reports what finished to its region.
/// </summary>
public interface IModelInstanceGrain : IGrainWithStringKey
{
    /// <summary>Starts serving a request routed here; returns false (with the rejection reported) if it cannot fit.</summary>
    ValueTask<bool> SubmitAsync(InferenceRequest request);

    /// <summary>
    /// Fault injection: the worker crashes now. Completions up to now are reported; the requests it still held are
    /// returned for the caller (its region) to route again; the worker restarts empty.
    /// </summary>
    ValueTask<IReadOnlyList<InferenceRequest>> CrashAsync(int unused);

    /// <summary>The worker's load now.</summary>
    [AlwaysInterleave]
    ValueTask<InstanceLoad> GetLoadAsync(int unused);
}
