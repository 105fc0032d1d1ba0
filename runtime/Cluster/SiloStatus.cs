namespace SageServe.Runtime.Cluster;

/// <summary>A silo's membership status. Persisted as its number: values are explicit and append-only.</summary>
public enum SiloStatus
{
    /// <summary>Registered, still starting; owns no grains yet.</summary>
    Joining = 0,

    /// <summary>Serving; eligible to own grains.</summary>
    Active = 1,

    /// <summary>Stopping gracefully; owns no new grains.</summary>
    ShuttingDown = 2,

    /// <summary>Declared dead (or stopped). Terminal: the same address and generation never becomes anything else.</summary>
    Dead = 3,
}
