using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Tests.Api;

public sealed class NiwRecoveryTests
{
    [Fact]
    public async Task Restart_JobStillRunning_RecoveredFromDiskAndDispatchedAgain()
    {
        var data = Directory.CreateTempSubdirectory("sageserve-recovery-");
        try
        {
            // 20k output tokens keep a simulated worker busy for minutes: the job is running when the silo stops.
            var body = JsonSerializer.Serialize(new { model = "A", homeRegion = "eastus", promptTokens = 1000, expectedOutputTokens = 20_000 });
            string jobId;
            await using (var first = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = data.FullName }))
            {
                using var http = new HttpClient { BaseAddress = first.BaseAddress };
                using var accepted = await http.PostAsync("/v1/niw", LiveSilo.Json(body));
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                jobId = (await LiveSilo.ReadJsonAsync(accepted)).GetProperty("jobId").GetString()!;
                Assert.Equal("queued", await WaitForStatusAsync(http, jobId, "queued"));
            }

            var log = new List<string>();
            await using var second = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = data.FullName }, log.Add);
            using var http2 = new HttpClient { BaseAddress = second.BaseAddress };

            Assert.Contains(log, l => l.Contains("re-queued 1 non-interactive job", StringComparison.Ordinal));
            Assert.Equal("queued", await WaitForStatusAsync(http2, jobId, "queued"));
            Assert.Equal(1, second.Plane.Metrics.NiwQueueDepth);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<string?> WaitForStatusAsync(HttpClient http, string jobId, string wanted)
    {
        var clock = Stopwatch.StartNew();
        string? status = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            status = (await LiveSilo.ReadJsonAsync(await http.GetAsync($"/v1/niw/{jobId}"))).GetProperty("status").GetString();
            if (status == wanted)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return status;
    }
}
