using System.Runtime.InteropServices;

namespace SageServe.Grains.Workers.Native;

/// <summary>Owns one <c>ss_engine*</c>; releasing it destroys the engine (the model is unloaded).</summary>
internal sealed class NativeEngineHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller for <c>out</c> parameters.</summary>
    public NativeEngineHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => NativeInterop.ss_engine_destroy(handle) == NativeStatus.Ok;
}
