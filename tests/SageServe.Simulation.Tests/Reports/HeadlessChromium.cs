using System.Diagnostics;

namespace SageServe.Simulation.Tests.Reports;

/// <summary>Runs Debian's headless Chromium on a local file with a fresh profile, bounded in time.</summary>
internal static class HeadlessChromium
{
    public const string BinaryPath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(BinaryPath);

    /// <summary>Runs Chromium with <paramref name="extraArguments"/> then the page; kills the whole process tree on timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string htmlPath, IReadOnlyList<string> extraArguments, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("sageserve-chromium-");
        try
        {
            var start = new ProcessStartInfo(BinaryPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] flags =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                $"--user-data-dir={profile.FullName}",
            ];
            foreach (var a in flags.Concat(extraArguments))
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add(new Uri(htmlPath).AbsoluteUri);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + BinaryPath);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"Chromium did not finish within {timeout.TotalSeconds} s; killed. stderr: {await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A crash-reporter child may still hold a file for a moment; a leftover temp profile is harmless.
            }
        }
    }
}
