using System.Reflection;
using System.Runtime.InteropServices;

namespace SageServe.Planning.Solver;

/// <summary>
/// Finds and loads the CBC shared library once per process and routes <see cref="CbcNative"/> calls to it.
/// </summary>
internal static class CbcLibrary
{
    /// <summary>Names probed in order: the Debian soname first, then the dev symlink, then a bare name for other platforms.</summary>
    internal static readonly IReadOnlyList<string> DefaultCandidates = ["libCbcSolver.so.3", "libCbcSolver.so", "CbcSolver"];

    private static readonly Lock s_gate = new();
    private static nint s_handle;
    private static bool s_resolverInstalled;

    /// <summary>
    /// Makes sure a CBC library is loaded. With the default candidates this probes only once per process;
    /// other candidate lists (a test hook) are always probed, so a bad list fails even after a good load.
    /// The first library loaded serves every later call: a process binds its P/Invoke stubs only once.
    /// </summary>
    /// <exception cref="SolverUnavailableException">No candidate could be loaded.</exception>
    internal static void EnsureLoaded(IReadOnlyList<string> candidates)
    {
        lock (s_gate)
        {
            if (s_handle == 0 || !ReferenceEquals(candidates, DefaultCandidates))
            {
                var handle = Probe(candidates);
                if (s_handle == 0)
                {
                    s_handle = handle;
                }
            }

            if (!s_resolverInstalled)
            {
                NativeLibrary.SetDllImportResolver(typeof(CbcLibrary).Assembly, Resolve);
                s_resolverInstalled = true;
            }
        }
    }

    private static nint Probe(IReadOnlyList<string> candidates)
    {
        foreach (var name in candidates)
        {
            if (NativeLibrary.TryLoad(name, typeof(CbcLibrary).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
            {
                return handle;
            }
        }

        throw new SolverUnavailableException(
            $"COIN-OR CBC (libCbcSolver.so.3) not found: install the Debian package coinor-libcbc3 (tried: {string.Join(", ", candidates)})");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        return libraryName == CbcNative.LibraryName ? s_handle : 0;
    }
}
