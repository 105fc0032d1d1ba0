using System.Diagnostics;

namespace SageServe.Silo.Tests.Dashboard;

/// <summary>Loads a page in a fresh headless Chromium (own profile) and returns what it printed (<c>--dump-dom</c>).</summary>
internal static class HeadlessChromium
{
    /// <summary>Runs Chromium on <paramref name="url"/> with 3 s of virtual time (three dashboard polls) and <paramref name="mode"/>.</summary>
    public static async Task<string> LoadAsync(Uri url, params string[] mode)
    {
        var profile = Directory.CreateTempSubdirectory("sageserve-chromium-");
        try
        {
            var start = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=3000", .. mode,
                         url.ToString()])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            return await stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
