using System.Reflection;
using System.Runtime.InteropServices;

namespace SageServe.Grains.Workers.Native;

/// <summary>
/// Finds and loads <c>libsageserve_native</c>: the file named by <see cref="EnvironmentVariable"/> if set, else
/// <c>native-kernels/build/</c> in the nearest ancestor of the application directory (a source checkout), else the
/// platform's default search (<c>sageserve_native</c> on the library path). Loaded once per process.
/// </summary>
public static class NativeLibraryLocator
{
    /// <summary>Environment variable holding the full path of the native library.</summary>
    public const string EnvironmentVariable = "SAGESERVE_NATIVE_LIB";

    /// <summary>How to build the library (quoted in every "not found" message).</summary>
    public const string BuildCommand = "cmake -S native-kernels -B native-kernels/build -DCMAKE_BUILD_TYPE=Release && cmake --build native-kernels/build";

    private static readonly Lock Gate = new();
    private static nint _loaded;

    /// <summary>The library's file name on this platform.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? "sageserve_native.dll"
        : OperatingSystem.IsMacOS() ? "libsageserve_native.dylib"
        : "libsageserve_native.so";

    /// <summary>
    /// The path the library would be loaded from, or null when neither the override nor a checkout has it (the
    /// default search is then the last resort).
    /// </summary>
    /// <param name="overridePath">The <see cref="EnvironmentVariable"/> value, if any.</param>
    /// <param name="baseDirectory">Where to start walking up (the application directory).</param>
    /// <exception cref="DllNotFoundException">The override names a file that does not exist.</exception>
    public static string? Find(string? overridePath, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return File.Exists(overridePath)
                ? Path.GetFullPath(overridePath)
                : throw new DllNotFoundException($"{EnvironmentVariable}='{overridePath}': no such file. Build the native library with `{BuildCommand}` and point {EnvironmentVariable} at native-kernels/build/{FileName}, or unset it.");
        }

        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "native-kernels", "build", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Loads the library (see the class remarks for the search order), or throws naming how to build it.</summary>
    /// <param name="overridePath">The <see cref="EnvironmentVariable"/> value, if any.</param>
    /// <param name="baseDirectory">Where to start walking up.</param>
    /// <exception cref="DllNotFoundException">The library is nowhere to be found.</exception>
    public static nint Load(string? overridePath, string baseDirectory)
    {
        var path = Find(overridePath, baseDirectory);
        if (path is not null)
        {
            return NativeLibrary.Load(path);
        }

        if (NativeLibrary.TryLoad(NativeInterop.LibraryName, typeof(NativeLibraryLocator).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
        {
            return handle;
        }

        throw new DllNotFoundException(
            $"The native worker library ({FileName}) was not found: {EnvironmentVariable} is unset, no native-kernels/build/ above " +
            $"'{baseDirectory}' has it, and the system search failed. Build it from the repository root with `{BuildCommand}` " +
            $"(scripts/setup.sh does this), or set {EnvironmentVariable} to its full path.");
    }

    /// <summary>
    /// Loads the library for this process (environment variable, then <see cref="AppContext.BaseDirectory"/>) and
    /// routes the engine's P/Invoke calls to it. Idempotent; throws <see cref="DllNotFoundException"/> if missing.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded != nint.Zero)
            {
                return;
            }

            NativeInterop.CheckLayout();
            var handle = Load(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLocator).Assembly, Resolve);
            _loaded = handle;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeInterop.LibraryName ? _loaded : nint.Zero;
}
