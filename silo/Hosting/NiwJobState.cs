namespace SageServe.Silo.Hosting;

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

    /// <summary>In a cluster: the silo that owned the region grain when the job was dispatched (it may hold the job in its NIW queue).</summary>
    public string? RegionOwner { get; set; }

    /// <summary>In a cluster: the silo that owned the instance grain serving the job.</summary>
    public string? InstanceOwner { get; set; }

    /// <summary>When accepted.</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
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
