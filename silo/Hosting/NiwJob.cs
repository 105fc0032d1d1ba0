using SageServe.Runtime;

namespace SageServe.Silo.Hosting;

/// <summary>A non-interactive job as submitted (immutable; compared to detect a reused idempotency key).</summary>
/// <param name="Model">The model.</param>
/// <param name="RegionPreference">Regions in preference order (first: home).</param>
/// <param name="PromptTokens">Prompt length.</param>
/// <param name="OutputTokens">Expected output length.</param>
/// <param name="Deadline">How long after acceptance it must complete.</param>
public sealed record NiwJobSpec(string Model, IReadOnlyList<string> RegionPreference, int PromptTokens, int OutputTokens, TimeSpan Deadline)
{
    /// <summary>A stable fingerprint of the spec.</summary>
    public string Fingerprint => $"{Model}|{string.Join(',', RegionPreference)}|{PromptTokens}|{OutputTokens}|{Deadline.Ticks}";
}

/// <summary>Job states as the API shows them.</summary>
public static class NiwJobStatus
{
    /// <summary>Accepted and durable; not yet on an instance.</summary>
    public const string Queued = "queued";

    /// <summary>On an instance.</summary>
    public const string Running = "running";

    /// <summary>Finished.</summary>
    public const string Completed = "completed";

    /// <summary>Refused (see the reason).</summary>
    public const string Rejected = "rejected";

    /// <summary>Whether <paramref name="status"/> is final.</summary>
    public static bool IsFinal(string status) => status is Completed or Rejected;
}

/// <summary>The durable record of one job (the grain's persistent state).</summary>
public sealed class NiwJobState
{
    /// <summary>Job id (the grain key).</summary>
    public string JobId { get; set; } = string.Empty;

    /// <summary>The submitted spec.</summary>
    public NiwJobSpec? Spec { get; set; }

    /// <summary>See <see cref="NiwJobStatus"/>.</summary>
    public string Status { get; set; } = NiwJobStatus.Queued;

    /// <summary>Why rejected.</summary>
    public string? Reason { get; set; }

    /// <summary>Serving region once routed.</summary>
    public string? Region { get; set; }

    /// <summary>Serving instance once routed.</summary>
    public string? Instance { get; set; }

    /// <summary>Internal request id once dispatched.</summary>
    public long RequestId { get; set; }

    /// <summary>When accepted.</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A job as callers see it.</summary>
/// <param name="JobId">The id.</param>
/// <param name="Status">See <see cref="NiwJobStatus"/>.</param>
/// <param name="Reason">Why rejected.</param>
/// <param name="Region">Serving region.</param>
/// <param name="Instance">Serving instance.</param>
/// <param name="AcceptedAt">When accepted.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="Created">True when this call created the job (false: an idempotent replay).</param>
/// <param name="Conflict">True when the job exists with a different spec (the idempotency key was reused).</param>
public sealed record NiwJobView(string JobId, string Status, string? Reason, string? Region, string? Instance, DateTimeOffset AcceptedAt, DateTimeOffset UpdatedAt, bool Created = false, bool Conflict = false);

/// <summary>One non-interactive job (key: job id), durable in the silo's grain storage.</summary>
public interface INiwJobGrain : IGrainWithStringKey
{
    /// <summary>Creates and persists the job, or returns the existing one (idempotent).</summary>
    Task<NiwJobView> AcceptAsync(NiwJobSpec spec);

    /// <summary>Routes a queued job as tier non-interactive and hands it to the chosen instance.</summary>
    Task<NiwJobView> DispatchAsync(long requestId);

    /// <summary>Marks the job completed (<paramref name="rejection"/> null) or rejected; no-op when already final.</summary>
    Task<NiwJobView> FinishAsync(string? rejection);

    /// <summary>The job, or null when no such job exists.</summary>
    Task<NiwJobView?> GetAsync(int unused);

    /// <summary>
    /// After a silo restart: a job that was queued or running (its simulated worker died with the old process) goes
    /// back to queued; returns whether it needs dispatching, or null when no such job exists.
    /// </summary>
    Task<bool?> RecoverAsync(int unused);
}

/// <summary>Calls <see cref="INiwJobGrain"/> through the runtime.</summary>
public sealed class NiwJobGrainReference(GrainReference reference) : INiwJobGrain
{
    private static readonly CallDescriptor s_accept = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.AcceptAsync));
    private static readonly CallDescriptor s_dispatch = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.DispatchAsync));
    private static readonly CallDescriptor s_finish = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.FinishAsync));
    private static readonly CallDescriptor s_get = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.GetAsync));
    private static readonly CallDescriptor s_recover = CallDescriptor.For<INiwJobGrain>(nameof(INiwJobGrain.RecoverAsync));

    /// <inheritdoc />
    public Task<NiwJobView> AcceptAsync(NiwJobSpec spec) =>
        reference.InvokeAsync(s_accept, spec, static (INiwJobGrain g, NiwJobSpec s) => g.AcceptAsync(s));

    /// <inheritdoc />
    public Task<NiwJobView> DispatchAsync(long requestId) =>
        reference.InvokeAsync(s_dispatch, requestId, static (INiwJobGrain g, long id) => g.DispatchAsync(id));

    /// <inheritdoc />
    public Task<NiwJobView> FinishAsync(string? rejection) =>
        reference.InvokeAsync(s_finish, rejection, static (INiwJobGrain g, string? r) => g.FinishAsync(r));

    /// <inheritdoc />
    public Task<NiwJobView?> GetAsync(int unused) =>
        reference.InvokeAsync(s_get, unused, static (INiwJobGrain g, int u) => g.GetAsync(u));

    /// <inheritdoc />
    public Task<bool?> RecoverAsync(int unused) =>
        reference.InvokeAsync(s_recover, unused, static (INiwJobGrain g, int u) => g.RecoverAsync(u));
}
