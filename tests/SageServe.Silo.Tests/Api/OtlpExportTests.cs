using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Tests.Api;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpEndpoint_Configured_PushesMetricsAsOtlpJson()
    {
        // A stand-in collector: a real Kestrel endpoint that keeps the first export mentioning a routing decision.
        var received = new TaskCompletionSource<(string Path, string ContentType, string Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            if (body.Contains("sageserve.route.decisions", StringComparison.Ordinal))
            {
                received.TrySetResult((context.Request.Path, context.Request.ContentType ?? "", body));
            }

            context.Response.StatusCode = 200;
        });
        await collector.StartAsync();
        var collectorAddress = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var data = Directory.CreateTempSubdirectory("sageserve-otlp-");
        try
        {
            await using var silo = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = data.FullName, OtlpEndpoint = collectorAddress, OtlpIntervalSeconds = 1 });
            using var http = new HttpClient { BaseAddress = silo.BaseAddress };
            (await http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody()))).EnsureSuccessStatusCode();

            var (path, contentType, body) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("/v1/metrics", path);
            Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
            var resource = JsonDocument.Parse(body).RootElement.GetProperty("resourceMetrics")[0];
            Assert.Equal("sageserve-silo", resource.GetProperty("resource").GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString());
            var metrics = resource.GetProperty("scopeMetrics")[0].GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
            var decisions = metrics["sageserve.route.decisions"].GetProperty("sum");
            Assert.True(decisions.GetProperty("isMonotonic").GetBoolean());
            Assert.Contains(decisions.GetProperty("dataPoints").EnumerateArray(), p => p.GetProperty("asDouble").GetDouble() >= 1);
            var latency = metrics["sageserve.route.duration"].GetProperty("histogram").GetProperty("dataPoints")[0];
            Assert.Equal(latency.GetProperty("explicitBounds").GetArrayLength() + 1, latency.GetProperty("bucketCounts").GetArrayLength());
            Assert.True(long.Parse(latency.GetProperty("count").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
