namespace SageServe.Grains.Scaling;

/// <summary>Where a scale-out got its VM (SPEC §2, in preference order). Persisted: explicit, append-only.</summary>
public enum VmSource
{
    /// <summary>A VM this endpoint donated to the spot pool, model still loaded.</summary>
    Reclaim = 0,

    /// <summary>A VM another model donated; the model is swapped.</summary>
    Swap = 1,

    /// <summary>A new on-demand VM from the cloud.</summary>
    NewVm = 2,
}
