using SageServe.Grains.Domain;

namespace SageServe.Grains.Observability;

/// <summary>
/// Receives every request outcome the grains decide, synchronously inside their turns: the simulator's metrics, or
/// live telemetry. Implementations must be quick and must not call grains.
/// </summary>
public interface IRequestObserver
{
    /// <summary>A request reached its home region.</summary>
    void OnArrived(InferenceRequest request, DateTimeOffset at);

    /// <summary>A request was routed to an instance (or queued, for NIW).</summary>
    void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at);

    /// <summary>A request was refused, by its region or, after routing, by its instance. It is final.</summary>
    void OnRejected(InferenceRequest request, string reason, DateTimeOffset at);

    /// <summary>A request finished.</summary>
    void OnCompleted(in RequestCompletion completion);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullRequestObserver : IRequestObserver
{
    /// <summary>The shared instance.</summary>
    public static NullRequestObserver Instance { get; } = new();

    /// <inheritdoc />
    public void OnArrived(InferenceRequest request, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    public void OnRouted(InferenceRequest request, RouteDecision decision, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    public void OnRejected(InferenceRequest request, string reason, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    public void OnCompleted(in RequestCompletion completion)
    {
    }
}
