using System.Runtime.InteropServices;

namespace SageServe.Grains.Workers.Native;

/// <summary>
/// One native CPU worker engine (<c>ss_engine_*</c>): random weights of the configured shape, a paged KV cache and
/// continuous batching. Creating it loads the "model"; disposing it unloads it (a second dispose is a no-op).
/// Every failing call throws <see cref="NativeEngineException"/> with the library's message, except a full KV cache
/// on <see cref="TryAdmit"/>, which is an answer rather than an error.
/// </summary>
public sealed class NativeEngine : IDisposable
{
    private readonly NativeEngineHandle _handle;

    private NativeEngine(NativeEngineHandle handle, NativeEngineOptions options)
    {
        _handle = handle;
        Options = options;
    }

    /// <summary>The shape and resources it was created with.</summary>
    public NativeEngineOptions Options { get; }

    /// <summary>Whether <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>The library's version string.</summary>
    public static string LibraryVersion
    {
        get
        {
            NativeLibraryLocator.EnsureLoaded();
            return Marshal.PtrToStringUTF8(NativeInterop.ss_version()) ?? "?";
        }
    }

    /// <summary>Whether the library was built with its AVX2+FMA kernels.</summary>
    public static bool SimdEnabled
    {
        get
        {
            NativeLibraryLocator.EnsureLoaded();
            return NativeInterop.ss_simd_enabled() != 0;
        }
    }

    /// <summary>Creates an engine (loads the library on first use).</summary>
    /// <exception cref="DllNotFoundException">The library is missing; the message says how to build it.</exception>
    /// <exception cref="NativeEngineException">The library refused the configuration.</exception>
    public static NativeEngine Create(NativeEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeLibraryLocator.EnsureLoaded();
        var config = options.ToConfig();
        var status = NativeInterop.ss_engine_create(in config, out var handle);
        if (status != NativeStatus.Ok)
        {
            var detail = NativeInterop.LastError();
            handle.Dispose();
            throw new NativeEngineException(status, $"ss_engine_create failed with {status}: {detail}");
        }

        return new NativeEngine(handle, options);
    }

    /// <summary>Admits a request, reserving KV pages for its prompt and output; false if the pages are not free now.</summary>
    public bool TryAdmit(ulong requestId, int promptTokens, int maxOutputTokens)
    {
        var status = NativeInterop.ss_engine_admit(_handle, requestId, promptTokens, maxOutputTokens);
        if (status == NativeStatus.KvFull)
        {
            return false;
        }

        NativeInterop.ThrowIfFailed(status, $"ss_engine_admit(id {requestId}, prompt {promptTokens}, output {maxOutputTokens})");
        return true;
    }

    /// <summary>KV pages a request of this size would reserve.</summary>
    public long PagesNeeded(int promptTokens, int maxOutputTokens)
    {
        NativeInterop.ThrowIfFailed(NativeInterop.ss_engine_pages_needed(_handle, promptTokens, maxOutputTokens, out var pages), "ss_engine_pages_needed");
        return pages;
    }

    /// <summary>One continuous-batching iteration: prefill queued requests, decode one token for the running ones.</summary>
    public NativeStepResult Step()
    {
        NativeInterop.ThrowIfFailed(NativeInterop.ss_engine_step(_handle, out var info), "ss_engine_step");
        return new NativeStepResult(info.Prefilled, info.Decoded, info.Completed, info.Running, info.PrefillTokens, info.TokensGenerated, info.KvRowsRead);
    }

    /// <summary>Drains finished request ids (oldest first) into <paramref name="ids"/>; returns how many were written.</summary>
    public unsafe int TakeCompleted(Span<ulong> ids)
    {
        int count;
        fixed (ulong* p = ids)
        {
            NativeInterop.ThrowIfFailed(NativeInterop.ss_engine_take_completed(_handle, p, ids.Length, out count), "ss_engine_take_completed");
        }

        return count;
    }

    /// <summary>Aborts a queued or running request and frees its pages.</summary>
    public void Release(ulong requestId) =>
        NativeInterop.ThrowIfFailed(NativeInterop.ss_engine_release(_handle, requestId), $"ss_engine_release(id {requestId})");

    /// <summary>Current counters.</summary>
    public NativeEngineStats GetStats()
    {
        NativeInterop.ThrowIfFailed(NativeInterop.ss_engine_stats_get(_handle, out var s), "ss_engine_stats_get");
        return new NativeEngineStats(s.KvUtilisation, s.Running, s.Queued, s.TokensGenerated, s.TotalPages, s.FreePages, s.PageSize, s.Steps, s.Completed);
    }

    /// <summary>Destroys the engine (frees weights and KV cache). Idempotent.</summary>
    public void Dispose() => _handle.Dispose();
}
