namespace SageServe.Grains.Vms;

/// <summary>How a VM gives up the requests its worker holds when its model is unloaded.</summary>
public enum VmUnloadMode
{
    /// <summary>Take nothing new, let the worker finish what it holds, then destroy it.</summary>
    Drain = 0,

    /// <summary>Destroy the worker now; every request it held is reported rejected with the reason.</summary>
    Abort = 1,
}

/// <summary>Unload the VM's model: its instance leaves service, then its worker is destroyed.</summary>
/// <param name="OperationId">Names this command: a repeat with the same id gets the first answer and changes nothing.</param>
/// <param name="Mode">Drain (default) or abort what the worker holds.</param>
/// <param name="DrainTimeout">
/// With <see cref="VmUnloadMode.Drain"/>: after this long, what is still held is rejected and the worker destroyed
/// (null: wait for every request to finish).
/// </param>
public sealed record VmUnloadCommand(string OperationId, VmUnloadMode Mode = VmUnloadMode.Drain, TimeSpan? DrainTimeout = null);
