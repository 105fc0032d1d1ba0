namespace SageServe.Silo.Tests.Dashboard;

/// <summary>A fact that needs headless Chromium: skipped (with the reason shown) when it is missing, except in CI.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"SKIPPED: {ChromiumPath} is missing (apt-get install chromium, or run scripts/setup.sh); in CI this test runs and fails instead.";
        }
    }
}
