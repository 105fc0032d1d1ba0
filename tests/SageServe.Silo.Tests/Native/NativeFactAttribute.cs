using SageServe.Grains.Workers.Native;

namespace SageServe.Silo.Tests.Native;

/// <summary>A fact that needs libsageserve_native: skipped (with the reason shown) when it is missing, except in CI.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (!LibraryPresent() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"SKIPPED: the native library is missing; build it with `{NativeLibraryLocator.BuildCommand}` (scripts/setup.sh does). In CI this test runs and fails instead.";
        }
    }

    private static bool LibraryPresent()
    {
        try
        {
            return NativeLibraryLocator.Find(Environment.GetEnvironmentVariable(NativeLibraryLocator.EnvironmentVariable), AppContext.BaseDirectory) is not null;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }
}
