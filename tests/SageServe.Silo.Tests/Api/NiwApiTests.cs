using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SageServe.Runtime;
using SageServe.Silo.Api;

namespace SageServe.Silo.Tests.Api;

public sealed class NiwApiTests(LiveSilo silo) : IClassFixture<LiveSilo>
{
    private static string Job(string model = "A", string region = "centralus", int prompt = 800, int output = 20) =>
        JsonSerializer.Serialize(new { model, homeRegion = region, promptTokens = prompt, expectedOutputTokens = output });

    private async Task<HttpResponseMessage> SubmitAsync(string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/niw") { Content = LiveSilo.Json(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await silo.Http.SendAsync(request);
    }

    [Fact]
    public async Task Submit_Job_AcceptedDurablyThenEventuallyCompleted()
    {
        using var accepted = await SubmitAsync(Job(), key: null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await LiveSilo.ReadJsonAsync(accepted);
        var jobId = job.GetProperty("jobId").GetString()!;
        Assert.Equal($"/v1/niw/{jobId}", accepted.Headers.Location?.OriginalString);
        Assert.True(File.Exists(((SageServe.Runtime.Storage.FileGrainStorage)silo.Host.Plane.Storage).GetRecordPath("niw-job", new GrainId("niw-job", jobId))), "the job must be on disk before 202");

        // The simulated worker serves it in real time (well under a second for 800 + 20 tokens); poll briefly.
        var status = job.GetProperty("status").GetString();
        var clock = Stopwatch.StartNew();
        while (status != "completed" && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25));
            var polled = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync($"/v1/niw/{jobId}"));
            status = polled.GetProperty("status").GetString();
            Assert.NotEqual("rejected", status);
        }

        Assert.Equal("completed", status);
        var final = await LiveSilo.ReadJsonAsync(await silo.Http.GetAsync($"/v1/niw/{jobId}"));
        Assert.Equal("centralus", final.GetProperty("region").GetString());
        Assert.StartsWith("centralus/A/", final.GetProperty("instance").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_SameJob()
    {
        var key = "op-" + Guid.NewGuid().ToString("N");

        using var first = await SubmitAsync(Job(model: "B"), key);
        using var second = await SubmitAsync(Job(model: "B"), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var a = (await LiveSilo.ReadJsonAsync(first)).GetProperty("jobId").GetString();
        Assert.Equal(a, (await LiveSilo.ReadJsonAsync(second)).GetProperty("jobId").GetString());
        Assert.Equal(NiwEndpoints.JobIdFor(key), a);
    }

    [Fact]
    public async Task Submit_IdempotencyKeyReusedWithAnotherBody_Conflict()
    {
        var key = "op-" + Guid.NewGuid().ToString("N");
        using var first = await SubmitAsync(Job(prompt: 100), key);

        using var second = await SubmitAsync(Job(prompt: 200), key);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("Idempotency-Key", (await LiveSilo.ReadJsonAsync(second)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Submit_UnknownModel_ProblemNamingModel()
    {
        using var response = await SubmitAsync(Job(model: "GPT-9"), key: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model", (await LiveSilo.ReadJsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Get_UnknownJob_NotFound()
    {
        using var response = await silo.Http.GetAsync("/v1/niw/niw-does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
