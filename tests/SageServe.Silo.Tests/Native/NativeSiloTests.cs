using SageServe.Grains.Tests.Workers;
using System.Diagnostics;
using System.Text.Json;
using SageServe.Silo.Hosting;
using SageServe.Silo.Tests.Api;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Native;

/// <summary>The live silo with <c>--workers native</c>: requests routed over HTTP are served by real CPU engines.</summary>
public sealed class NativeSiloTests(ITestOutputHelper output)
{
    private static readonly string[] s_regions = ["westus", "centralus", "eastus"];
    private static readonly string[] s_models = ["A", "B", "C", "D"];

    [NativeFact]
    public async Task Route_FiftyInteractiveRequests_AllCompleteOnNativeWorkers()
    {
        const int requests = 50;
        var dataDir = Directory.CreateTempSubdirectory("sageserve-native-");
        var host = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = dataDir.FullName, Workers = "native", InstancesPerModel = 1 });
        try
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();
            var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
            {
                var body = LiveSilo.RouteBody(model: s_models[i % 4], homeRegion: s_regions[i % 3], promptTokens: 200 + (10 * i), outputTokens: 32, requestId: $"native-{i}");
                using var response = await http.PostAsync("/v1/route", LiveSilo.Json(body));
                response.EnsureSuccessStatusCode();
                return await LiveSilo.ReadJsonAsync(response);
            }));
            var routedIn = clock.Elapsed;
            Assert.All(responses, r => Assert.Equal("routed", r.GetProperty("outcome").GetString()));

            while (host.Plane.Metrics.Completed < requests && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5));
            }

            var doneIn = clock.Elapsed;
            var cluster = await LiveSilo.ReadJsonAsync(await http.GetAsync("/v1/cluster"));
            var decisions = cluster.GetProperty("decisions");
            Assert.Equal(requests, decisions.GetProperty("completed").GetInt64());
            Assert.Equal(0, decisions.GetProperty("rejected").GetInt64());

            // Every engine is idle again and holds no KV pages.
            var instances = cluster.GetProperty("regions").EnumerateArray()
                .SelectMany(r => r.GetProperty("models").EnumerateArray())
                .SelectMany(m => m.GetProperty("instances").EnumerateArray())
                .ToList();
            Assert.Equal(12, instances.Count);
            Assert.All(instances, i => Assert.Equal(0, i.GetProperty("running").GetInt32() + i.GetProperty("waiting").GetInt32()));
            Assert.All(instances, i => Assert.Equal(0, i.GetProperty("kvTokensReserved").GetInt64()));
            Assert.All(instances, i => Assert.True(i.GetProperty("kvTokensCapacity").GetInt64() > 0));
            output.WriteLine(
                $"{requests} requests (prompt 200..690, 32 output tokens) routed in {routedIn.TotalMilliseconds:F0} ms, all complete after " +
                $"{doneIn.TotalMilliseconds:F0} ms: {requests / doneIn.TotalSeconds:F1} requests/s, {requests * 32 / doneIn.TotalSeconds:F0} output tokens/s over 12 engines");
        }
        finally
        {
            await host.DisposeAsync();
            dataDir.Delete(recursive: true);
        }
    }

    [NativeFact]
    public async Task SiloCommand_WorkersNative_ServesARequestAndStopsCleanly()
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-native-cli-");
        var (silo, address) = await SiloProcess.StartAsync(dir.FullName, "--port", "0", "--data-dir", dir.FullName, "--workers", "native");
        await using (silo)
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            using var routed = await http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody(promptTokens: 300, outputTokens: 16)));
            Assert.Equal("routed", (await LiveSilo.ReadJsonAsync(routed)).GetProperty("outcome").GetString());
            var clock = Stopwatch.StartNew();
            long completed = 0;
            while (completed < 1 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10));
                using var cluster = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster"));
                completed = cluster.RootElement.GetProperty("decisions").GetProperty("completed").GetInt64();
            }

            Assert.Equal(1, completed);
            Assert.Equal(0, await silo.TerminateAsync());
        }

        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task SiloCommand_UnknownWorkers_ExitsTwoWithOneLine()
    {
        var result = await RunSiloAsync(new Dictionary<string, string>(), "--workers", "gpu");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("sageserve silo: --workers: must be simulated or native (got 'gpu')", line);
    }

    [Fact]
    public async Task SiloCommand_NativeLibraryMissing_ExitsTwoNamingTheBuildCommand()
    {
        var result = await RunSiloAsync(new Dictionary<string, string> { ["SAGESERVE_NATIVE_LIB"] = "/nonexistent/libsageserve_native.so" }, "--workers", "native");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sageserve silo: --workers: SAGESERVE_NATIVE_LIB='/nonexistent/libsageserve_native.so': no such file.", line, StringComparison.Ordinal);
        Assert.Contains("cmake -S native-kernels -B native-kernels/build", line, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunSiloAsync(Dictionary<string, string> environment, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-native-cli-");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sageserve.dll"));
        start.ArgumentList.Add("silo");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(dir.FullName);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        dir.Delete(recursive: true);
        return (process.ExitCode, await stderr);
    }
}
