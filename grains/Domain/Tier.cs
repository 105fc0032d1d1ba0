namespace SageServe.Grains.Domain;

/// <summary>The service tier of a request. Persisted: values are explicit and append-only.</summary>
public enum Tier
{
    /// <summary>Interactive (IW): chat-like, per-request latency SLO.</summary>
    Interactive = 0,

    /// <summary>Non-interactive (NIW): batch-like, deadline of hours.</summary>
    NonInteractive = 1,
}
