using SageServe.Grains.Domain;

namespace SageServe.Grains.Vms;

/// <summary>A request an instance hands to the VM hosting it.</summary>
/// <param name="InstanceKey">The instance it was routed to (the VM serves it only while it hosts that instance).</param>
/// <param name="Request">The request.</param>
public readonly record struct VmSubmission(string InstanceKey, InferenceRequest Request);

/// <summary>A VM's answer to a <see cref="VmSubmission"/>.</summary>
/// <param name="Accepted">The worker took it (it will complete and be reported).</param>
/// <param name="Reason">Why not, when refused; the caller reports the rejection.</param>
public readonly record struct VmAdmission(bool Accepted, string? Reason);
