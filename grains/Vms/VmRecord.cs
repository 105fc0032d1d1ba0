namespace SageServe.Grains.Vms;

/// <summary>
/// What a VM grain keeps durably: the model the operator (or boot) wants loaded. A VM grain that reactivates — after
/// idle collection, or on another silo after its silo died — loads it again, so a moved VM does not come back empty.
/// </summary>
public sealed class VmRecord
{
    /// <summary>The model to have loaded, or null for an empty VM.</summary>
    public string? Model { get; set; }
}
