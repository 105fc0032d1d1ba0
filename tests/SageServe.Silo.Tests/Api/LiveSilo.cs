using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Tests.Api;

/// <summary>A real silo (Kestrel on a free loopback port, file storage in a temp dir) shared by one test class.</summary>
public abstract class LiveSiloBase(string? apiKey, string protocols = "Http1AndHttp2") : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sageserve-api-" + Guid.NewGuid().ToString("N"));

    public SiloHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string DataDir => _dataDir;

    public async Task InitializeAsync()
    {
        Host = await SiloHost.StartAsync(new SiloHostOptions { Port = 0, DataDir = _dataDir, ApiKey = apiKey, Protocols = protocols });
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A silo with a control key.</summary>
public sealed class LiveSilo() : LiveSiloBase(ApiKey)
{
    public const string ApiKey = "test-control-key-1";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string RouteBody(
        string model = "A", string tier = "interactive", string homeRegion = "westus", int promptTokens = 500, int outputTokens = 50, string? requestId = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["requestId"] = requestId,
            ["model"] = model,
            ["tier"] = tier,
            ["homeRegion"] = homeRegion,
            ["promptTokens"] = promptTokens,
            ["expectedOutputTokens"] = outputTokens,
        });
}

/// <summary>A silo started without an API key (control endpoints disabled).</summary>
public sealed class KeylessSilo() : LiveSiloBase(null);

/// <summary>A silo speaking cleartext HTTP/2 only (h2c, prior knowledge).</summary>
public sealed class Http2Silo() : LiveSiloBase(null, "Http2");
