using SageServe.Grains.Domain;

namespace SageServe.Grains.Vms;

/// <summary>Load a model on a VM (create its worker) and put the instance it becomes into service.</summary>
/// <param name="OperationId">
/// Names this command: a repeat with the same id (a retry after a timed-out call) gets the first answer and changes
/// nothing.
/// </param>
/// <param name="Model">The model to load; it must be deployed in the VM's region (the SKU is the deployment's).</param>
public sealed record VmLoadCommand(string OperationId, ModelId Model);
