using SageServe.Runtime;

namespace SageServe.Silo.Hosting;

/// <summary>One non-interactive job (key: job id), durable in the silo's grain storage.</summary>
public interface INiwJobGrain : IGrainWithStringKey
{
    /// <summary>Creates and persists the job, or returns the existing one (idempotent).</summary>
    Task<NiwJobView> AcceptAsync(NiwJobSpec spec);

    /// <summary>Routes a queued job as tier non-interactive and hands it to the chosen instance.</summary>
    Task<NiwJobView> DispatchAsync(long requestId);

    /// <summary>Marks the job completed (<see cref="NiwFinish.Rejection"/> null) or rejected; no-op when already final.</summary>
    Task<NiwJobView> FinishAsync(NiwFinish finish);

    /// <summary>The job, or null when no such job exists.</summary>
    Task<NiwJobView?> GetAsync(int unused);

    /// <summary>
    /// After a silo restart: a job that was queued or running (its simulated worker died with the old process) goes
    /// back to queued; returns whether it needs dispatching, or null when no such job exists.
    /// </summary>
    Task<bool?> RecoverAsync(int unused);

    /// <summary>
    /// Cluster sweep: re-queues the job if it was lost — accepted but never dispatched for a while (the accepting silo
    /// died first), or dispatched to a region or instance whose silo is no longer active. Null when no such job.
    /// </summary>
    Task<NiwJobView?> ResumeIfLostAsync(int unused);
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
/// <param name="Requeued">True when this call (the cluster sweep) re-queued a lost job.</param>
public sealed record NiwJobView(string JobId, string Status, string? Reason, string? Region, string? Instance, DateTimeOffset AcceptedAt, DateTimeOffset UpdatedAt, bool Created = false, bool Conflict = false, bool Requeued = false);

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

/// <summary>How a job's request ended: rejected with a reason, or completed (on an instance, when known).</summary>
/// <param name="Rejection">The reason, or null when it completed.</param>
/// <param name="Instance">The instance that served it, when known.</param>
public readonly record struct NiwFinish(string? Rejection, string? Instance);
