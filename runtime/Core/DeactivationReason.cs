namespace SageServe.Runtime;

/// <summary>Why an activation is going away. Values are explicit and append-only.</summary>
public enum DeactivationReason
{
    /// <summary>Unused for longer than the collection age.</summary>
    Idle = 0,

    /// <summary>The grain asked (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    Requested = 1,

    /// <summary>A state write lost an ETag race: this copy is stale.</summary>
    StaleState = 2,

    /// <summary>The silo is shutting down.</summary>
    SiloShutdown = 3,
}
