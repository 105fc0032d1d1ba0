using SageServe.Silo.Commands;
using System.Net;
using SageServe.Silo.Hosting;
using Xunit.Abstractions;

namespace SageServe.Client.Tests;

public sealed class Http2ClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Route_ClientOnHttp2_SiloSpeakingCleartextHttp2()
    {
        var data = Directory.CreateTempSubdirectory("sageserve-h2-");
        try
        {
            await using var silo = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = data.FullName, Protocols = "Http2" });
            var client = new SageServeClient(new HttpClient(), new SageServeClientOptions { Endpoints = [silo.BaseAddress], HttpVersion = HttpVersion.Version20 });

            var decision = await client.RouteAsync(new RouteRequest("A", Tiers.Interactive, "centralus", 200, 20));

            Assert.Equal("routed", decision.Outcome);
            if (Environment.GetEnvironmentVariable("SAGESERVE_BENCH_SECONDS") is { } seconds)
            {
                var result = await RouteBenchmark.RunAsync(
                    client, 16, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)));
                output.WriteLine("h2c: " + result);
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
