namespace SageServe.Grains.Workers.Native;

/// <summary>Status codes of the native library's C ABI (<c>ss_status</c> in <c>sageserve_native.h</c>).</summary>
public enum NativeStatus
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A null pointer, a non-positive size, q heads not a multiple of kv heads, ...</summary>
    InvalidArgument = 1,

    /// <summary>A host allocation failed.</summary>
    OutOfMemory = 2,

    /// <summary>Not enough free KV-cache pages to admit the request.</summary>
    KvFull = 3,

    /// <summary>Unknown request id.</summary>
    NotFound = 4,

    /// <summary>Request id already admitted.</summary>
    Duplicate = 5,

    /// <summary>A bug in the native library.</summary>
    Internal = 6,
}
