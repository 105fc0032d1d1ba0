using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SageServe.Grains.Tests.Workers;
using SageServe.Silo.Hosting;
using SageServe.Silo.Tests.Api;
using Xunit.Abstractions;

namespace SageServe.Silo.Tests.Native;

/// <summary>
/// End to end with <c>--workers native</c>: routed requests complete on real CPU engines owned by VM grains; unloading
/// a model from a VM over the control API destroys its engine and takes its instance out of routing; loading it again
/// brings both back.
/// </summary>
public sealed class NativeVmTests(ITestOutputHelper output)
{
    private const string ApiKey = "native-vm-test-key";

    [NativeFact]
    public async Task UnloadThenLoad_NativeVm_EngineDestroyedRoutingStopsThenServesAgain()
    {
        var dataDir = Directory.CreateTempSubdirectory("sageserve-native-vm-");
        var host = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = dataDir.FullName, Workers = "native", InstancesPerModel = 1, ApiKey = ApiKey });
        try
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

            // 12 VMs (3 regions × 4 models), each with its home model loaded on its own engine.
            var vms = await GetAsync(http, "/v1/vms");
            Assert.Equal(12, vms.GetProperty("vms").GetArrayLength());
            Assert.All(vms.GetProperty("vms").EnumerateArray(), v => Assert.Equal("ready", v.GetProperty("state").GetString()));
            Assert.Equal(12, vms.GetProperty("nativeEngines").GetInt32());
            var bootLoadMs = vms.GetProperty("vms").EnumerateArray().Select(v => v.GetProperty("lastLoadMilliseconds").GetDouble()).ToList();

            // Phase 1: westus A traffic spreads over westus/A/0 (on westus/vm-0) and the pool's second instance.
            var first = await RouteAsync(http, "before", 12);
            Assert.Contains("westus/A/0", first);
            await WaitCompletedAsync(host, 12);
            var vm0 = await GetAsync(http, "/v1/vms/westus/vm-0");
            Assert.Equal(first.Count(i => i == "westus/A/0"), vm0.GetProperty("completed").GetInt64());
            var enginesBefore = (await GetAsync(http, "/v1/vms")).GetProperty("nativeEngines").GetInt32();

            // Unload while long requests run on it: the VM drains them (they complete), destroys its engine, goes empty.
            var inflight = await RouteAsync(http, "inflight", 4, outputTokens: 512);
            Assert.Contains("westus/A/0", inflight);
            var clock = Stopwatch.StartNew();
            string answeredState;
            using (var unload = await PostAsync(http, "/v1/control/vms/westus/vm-0/unload", "{\"operationId\":\"unload-1\"}"))
            {
                Assert.True(unload.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"unload answered {unload.StatusCode}");
                answeredState = (await LiveSilo.ReadJsonAsync(unload)).GetProperty("vm").GetProperty("state").GetString()!;
            }

            vm0 = await WaitForStateAsync(http, "westus/vm-0", "empty");
            var unloadedIn = clock.Elapsed;
            await WaitCompletedAsync(host, 12 + 4);
            Assert.Equal(first.Concat(inflight).Count(i => i == "westus/A/0"), vm0.GetProperty("completed").GetInt64());
            Assert.Equal(0, vm0.GetProperty("rejected").GetInt64());
            Assert.False(vm0.TryGetProperty("model", out _));
            Assert.Equal(0, vm0.GetProperty("kvTokensCapacity").GetInt64());
            Assert.Equal(enginesBefore - 1, (await GetAsync(http, "/v1/vms")).GetProperty("nativeEngines").GetInt32());

            // Its instance is no longer routed: every westus A request goes elsewhere and still completes.
            var during = await RouteAsync(http, "during", 8);
            Assert.DoesNotContain("westus/A/0", during);
            await WaitCompletedAsync(host, 12 + 4 + 8);

            // Load it again (idempotent by operation id): a fresh engine, the instance serves again.
            clock.Restart();
            JsonElement loaded;
            using (var load = await PostAsync(http, "/v1/control/vms/westus/vm-0/load", "{\"model\":\"A\",\"operationId\":\"load-2\"}"))
            {
                Assert.Equal(HttpStatusCode.OK, load.StatusCode);
                loaded = await LiveSilo.ReadJsonAsync(load);
            }

            var loadedIn = clock.Elapsed;
            Assert.Equal("ready", loaded.GetProperty("vm").GetProperty("state").GetString());
            Assert.Equal("westus/A/0", loaded.GetProperty("vm").GetProperty("instance").GetString());
            Assert.Equal(enginesBefore, (await GetAsync(http, "/v1/vms")).GetProperty("nativeEngines").GetInt32());
            using (var repeat = await PostAsync(http, "/v1/control/vms/westus/vm-0/load", "{\"model\":\"A\",\"operationId\":\"load-2\"}"))
            {
                Assert.True((await LiveSilo.ReadJsonAsync(repeat)).GetProperty("repeated").GetBoolean());
            }

            Assert.Equal(enginesBefore, (await GetAsync(http, "/v1/vms")).GetProperty("nativeEngines").GetInt32());
            var after = await RouteAsync(http, "after", 8);
            Assert.Contains("westus/A/0", after);
            await WaitCompletedAsync(host, 12 + 4 + 8 + 8);
            vm0 = await GetAsync(http, "/v1/vms/westus/vm-0");
            Assert.Equal(first.Concat(inflight).Concat(after).Count(i => i == "westus/A/0"), vm0.GetProperty("completed").GetInt64());
            var cluster = await GetAsync(http, "/v1/cluster");
            Assert.Equal(0, cluster.GetProperty("decisions").GetProperty("rejected").GetInt64());

            output.WriteLine(
                $"native engine load (ss_engine_create) at boot: median {Median(bootLoadMs):F1} ms, max {bootLoadMs.Max():F1} ms over 12 VMs; " +
                $"reload {loaded.GetProperty("vm").GetProperty("lastLoadMilliseconds").GetDouble():F1} ms ({loadedIn.TotalMilliseconds:F0} ms for the HTTP call); " +
                $"unload (answered {answeredState}) to empty {unloadedIn.TotalMilliseconds:F0} ms with {inflight.Count(i => i == "westus/A/0")} × 512-token requests draining; engines {enginesBefore} → {enginesBefore - 1} → {enginesBefore}");
        }
        finally
        {
            await host.DisposeAsync();
            dataDir.Delete(recursive: true);
        }
    }

    private static async Task<List<string>> RouteAsync(HttpClient http, string prefix, int count, int outputTokens = 16)
    {
        var instances = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var body = LiveSilo.RouteBody(model: "A", homeRegion: "westus", promptTokens: 200 + (10 * i), outputTokens: outputTokens, requestId: $"{prefix}-{i}");
            using var response = await http.PostAsync("/v1/route", LiveSilo.Json(body));
            var decision = await LiveSilo.ReadJsonAsync(response);
            Assert.Equal("routed", decision.GetProperty("outcome").GetString());
            instances.Add(decision.GetProperty("instance").GetString()!);
        }

        return instances;
    }

    private static async Task WaitCompletedAsync(SiloHost host, long completed)
    {
        var clock = Stopwatch.StartNew();
        while (host.Plane.Metrics.Completed < completed && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        Assert.Equal(completed, host.Plane.Metrics.Completed);
    }

    private static async Task<JsonElement> WaitForStateAsync(HttpClient http, string vm, string state)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await GetAsync(http, $"/v1/vms/{vm}");
            if (status.GetProperty("state").GetString() == state || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Equal(state, status.GetProperty("state").GetString());
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await LiveSilo.ReadJsonAsync(response);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = LiveSilo.Json(json) };
        request.Headers.Add("X-Api-Key", ApiKey);
        return http.SendAsync(request);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
