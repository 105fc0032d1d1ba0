using SageServe.Grains.Domain;

namespace SageServe.Grains.Workers;

/// <summary>
/// The seam between a model instance grain and the GPU worker that serves it: simulated (in-process model of a
/// continuous-batching engine), or native. The grain calls it only inside its own turns, so implementations need
/// not be thread-safe; time is always passed in, never read.
/// </summary>
public interface IWorkerDriver
{
    /// <summary>Accepts a request at <paramref name="now"/>; false when it can never fit this worker (with a reason).</summary>
    bool TrySubmit(InferenceRequest request, DateTimeOffset now, out string? reason);

    /// <summary>Progresses the worker to <paramref name="now"/>, appending the requests that finished by then.</summary>
    void AdvanceTo(DateTimeOffset now, ICollection<WorkerCompletion> completed);

    /// <summary>When the worker next needs <see cref="AdvanceTo"/> (a completion or a batch change); null when idle.</summary>
    DateTimeOffset? NextEventAt { get; }

    /// <summary>The current load.</summary>
    InstanceLoad Load { get; }

    /// <summary>
    /// The worker crashed: returns every request it held (running or waiting), none of which will complete here, and
    /// restarts empty. The caller must route them again — nothing accepted may be lost.
    /// </summary>
    IReadOnlyList<InferenceRequest> Abort();
}

/// <summary>A request a worker finished.</summary>
/// <param name="Request">The request.</param>
/// <param name="SubmittedAt">When it reached the worker.</param>
/// <param name="FirstTokenAt">End of its prefill.</param>
/// <param name="CompletedAt">Its last token.</param>
public readonly record struct WorkerCompletion(InferenceRequest Request, DateTimeOffset SubmittedAt, DateTimeOffset FirstTokenAt, DateTimeOffset CompletedAt);
