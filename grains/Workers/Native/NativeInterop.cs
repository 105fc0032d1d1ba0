using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SageServe.Grains.Workers.Native;

/// <summary>
/// The engine half of <c>native-kernels/include/sageserve_native.h</c>. The structs mirror the header field by field
/// (sequential, fixed width); their sizes are the ones <c>src/capi.cpp</c> pins with <c>static_assert</c>, and
/// <see cref="CheckLayout"/> fails loudly if they ever drift.
/// </summary>
internal static partial class NativeInterop
{
    public const string LibraryName = "sageserve_native";

    [StructLayout(LayoutKind.Sequential)]
    public struct EngineConfig
    {
        public int Layers;
        public int QHeads;
        public int KvHeads;
        public int HeadDim;
        public long MaxKvTokens;
        public int PageSize;
        public int Threads;
        public ulong Seed;
        public int MaxRunning;
        public int Reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StepInfo
    {
        public int Prefilled;
        public int Decoded;
        public int Completed;
        public int Running;
        public long PrefillTokens;
        public long TokensGenerated;
        public long KvRowsRead;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct EngineStats
    {
        public double KvUtilisation;
        public int Running;
        public int Queued;
        public long TokensGenerated;
        public long TotalPages;
        public long FreePages;
        public int PageSize;
        public int Reserved;
        public long Steps;
        public long Completed;
    }

    /// <summary>Throws if a struct's managed size differs from the header's (a silent layout drift corrupts memory).</summary>
    public static void CheckLayout()
    {
        Check<EngineConfig>(48, "ss_engine_config");
        Check<StepInfo>(40, "ss_step_info");
        Check<EngineStats>(64, "ss_engine_stats");

        static void Check<T>(int expected, string name)
            where T : struct
        {
            var actual = Unsafe.SizeOf<T>();
            if (actual != expected)
            {
                throw new InvalidOperationException($"{typeof(T).Name} is {actual} bytes but {name} in sageserve_native.h is {expected}; fix the managed mirror.");
            }
        }
    }

    [LibraryImport(LibraryName)]
    public static partial nint ss_last_error();

    [LibraryImport(LibraryName)]
    public static partial nint ss_version();

    [LibraryImport(LibraryName)]
    public static partial int ss_simd_enabled();

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_create(in EngineConfig config, out NativeEngineHandle engine);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_destroy(nint engine);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_admit(NativeEngineHandle engine, ulong requestId, int promptTokens, int maxOutputTokens);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_pages_needed(NativeEngineHandle engine, int promptTokens, int maxOutputTokens, out long pages);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_step(NativeEngineHandle engine, out StepInfo info);

    [LibraryImport(LibraryName)]
    public static unsafe partial NativeStatus ss_engine_take_completed(NativeEngineHandle engine, ulong* ids, int capacity, out int count);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_release(NativeEngineHandle engine, ulong requestId);

    [LibraryImport(LibraryName)]
    public static partial NativeStatus ss_engine_stats_get(NativeEngineHandle engine, out EngineStats stats);

    /// <summary>The calling thread's last native error text (call right after the failing call, on the same thread).</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(ss_last_error()) ?? string.Empty;

    /// <summary>Throws <see cref="NativeEngineException"/> for any status but OK, with the library's message.</summary>
    public static void ThrowIfFailed(NativeStatus status, string call)
    {
        if (status != NativeStatus.Ok)
        {
            var detail = LastError();
            throw new NativeEngineException(status, $"{call} failed with {status}: {(detail.Length > 0 ? detail : "no detail from the library")}");
        }
    }
}
