namespace SageServe.Grains.Vms;

/// <summary>What became of a VM command.</summary>
public enum VmCommandOutcome
{
    /// <summary>Done (load: ready; unload: draining or empty).</summary>
    Applied = 0,

    /// <summary>The VM already was where the command asked (the model loaded, or nothing to unload).</summary>
    NoChange = 1,

    /// <summary>The model is not deployed in the VM's region.</summary>
    UnknownModel = 2,

    /// <summary>The VM's state does not allow it (it holds another model, or is draining).</summary>
    Conflict = 3,

    /// <summary>The worker could not be created (the reason says why); the VM stays empty.</summary>
    Failed = 4,
}

/// <summary>The answer to a load or unload command.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Status">The VM after the command.</param>
/// <param name="Problem">Why it was refused or failed, or null.</param>
/// <param name="Repeated">The operation id was seen before: this is the first answer's outcome, nothing was redone.</param>
public sealed record VmCommandResult(VmCommandOutcome Outcome, VmStatus Status, string? Problem = null, bool Repeated = false);
