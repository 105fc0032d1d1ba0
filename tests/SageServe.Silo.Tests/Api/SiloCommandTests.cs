using System.Net;
using SageServe.Silo.Hosting;
using SageServe.Silo.Tests.Commands;

namespace SageServe.Silo.Tests.Api;

public sealed class SiloCommandTests
{
    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--urls", "http://0.0.0.0:0", "--bind-any")]
    [InlineData("--urls", "ftp://127.0.0.1:21", "--urls")]
    [InlineData("--api-key", "short", "--api-key")]
    [InlineData("--protocols", "Http3", "--protocols")]
    [InlineData("--data-dir", "/proc/version/not-a-dir", "--data-dir")]
    [InlineData("--planner", "magic", "--planner")]
    [InlineData("--strategy", "greedy", "--strategy")]
    [InlineData("--region", "mars", "--region")]
    [InlineData("--cluster-storage", "AccountName=x;Garbage", "--cluster-storage")]
    [InlineData("--silo-port", "70000", "--silo-port")]
    [InlineData("--planner-history", "/no/such/trace.csv", "--planner-history")]
    public async Task Silo_BadOption_ExitsTwoWithOneLineNamingIt(string option, string value, string named)
    {
        var result = await SageServeProcess.RunAsync("silo", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sageserve silo:", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_PortInUse_ExitsTwoWithOneLineNamingThePort()
    {
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var dir = Directory.CreateTempSubdirectory("sageserve-cli-");

            var result = await SageServeProcess.RunAsync("silo", "--port", port, "--data-dir", dir.FullName);

            dir.Delete(recursive: true);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("sageserve silo: --port: cannot listen", line, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void Options_Default_BindLoopbackOnly()
    {
        var options = new SiloHostOptions();

        Assert.Equal(["http://127.0.0.1:5080"], options.ListenUrls);
    }

    [Fact]
    public void Options_BindAny_AllowsEveryInterface()
    {
        var options = new SiloHostOptions { BindAny = true, Port = 0, Urls = "http://0.0.0.0:0", DataDir = Path.GetTempPath() };

        options.Validate();

        Assert.Equal(["http://0.0.0.0:0"], options.ListenUrls);
    }

    [Fact]
    public async Task Silo_NoAddressOptions_ListensOnLoopbackServesAndStopsGracefullyOnSigterm()
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-cli-");
        try
        {
            // Everything default except the port (0, so parallel runs never collide): the data dir lands under the working directory.
            var (silo, address) = await SiloProcess.StartAsync(dir.FullName, "--port", "0");
            await using (silo)
            {
                Assert.Equal(IPAddress.Loopback.ToString(), address.Host);
                Assert.Contains("dashboard", silo.Stdout, StringComparison.Ordinal);
                using var http = new HttpClient { BaseAddress = address };
                using var route = await http.PostAsync("/v1/route", LiveSilo.Json(LiveSilo.RouteBody()));
                Assert.Equal(HttpStatusCode.OK, route.StatusCode);
                Assert.True(Directory.Exists(Path.Combine(dir.FullName, "sageserve-data")));

                var exitCode = await silo.TerminateAsync();

                Assert.Equal(0, exitCode);
                Assert.Matches(@"stopped \([1-9]\d* grain activations deactivated\)", silo.Stdout);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Silo_AppSettingsInWorkingDirectory_ConfiguresPortAndApiKey()
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "appsettings.json"), "{\"ApiKey\":\"from-appsettings-123\",\"Port\":0}");
            var (silo, address) = await SiloProcess.StartAsync(dir.FullName);
            await using (silo)
            {
                using var http = new HttpClient { BaseAddress = address };
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/control/plan");
                request.Headers.Add("X-Api-Key", "from-appsettings-123");
                using var response = await http.SendAsync(request);

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(0, await silo.TerminateAsync());
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Silo_EnvironmentVariables_ConfigureApiKeyAndDataDirUnderTheCommandLine()
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-cli-");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["SAGESERVE_APIKEY"] = "from-environment-42",
                ["SAGESERVE_DATADIR"] = Path.Combine(dir.FullName, "env-data"),
                ["SAGESERVE_PORT"] = "1", // overridden by --port below
                ["SAGESERVE_PLANNER"] = "reference",
            };
            var (silo, address) = await SiloProcess.StartAsync(dir.FullName, environment, "--port", "0");
            await using (silo)
            {
                using var http = new HttpClient { BaseAddress = address };
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/control/plan");
                request.Headers.Add("X-Api-Key", "from-environment-42");
                using var response = await http.SendAsync(request);

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("reference", (await LiveSilo.ReadJsonAsync(response)).GetProperty("mode").GetString());
                Assert.True(Directory.Exists(Path.Combine(dir.FullName, "env-data")));
                Assert.Equal(0, await silo.TerminateAsync());
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
