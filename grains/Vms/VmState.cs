namespace SageServe.Grains.Vms;

/// <summary>Where a VM is with its model. Persisted in API answers by name: append-only.</summary>
public enum VmState
{
    /// <summary>No model loaded, no worker: it serves nothing.</summary>
    Empty = 0,

    /// <summary>Its worker is being created (the model is loading); not yet routable.</summary>
    Loading = 1,

    /// <summary>Its model is loaded and its instance is routable.</summary>
    Ready = 2,

    /// <summary>Unloading: takes nothing new, finishes (or, past its deadline, rejects) what it holds, then goes empty.</summary>
    Draining = 3,
}
