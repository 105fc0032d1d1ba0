using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SageServe.Silo.Hosting;

/// <summary>
/// Settings of <c>sageserve silo</c>, merged from appsettings.json, environment variables (prefix <c>SAGESERVE_</c>)
/// and the command line (highest precedence). <see cref="Validate"/> names the offending option.
/// </summary>
public sealed class SiloHostOptions
{
    /// <summary>The port used when neither <see cref="Urls"/> nor <see cref="Port"/> is given.</summary>
    public const int DefaultPort = 5080;

    /// <summary>Explicit listen URLs (semicolon separated), e.g. <c>http://127.0.0.1:5080</c>; overrides <see cref="Port"/>.</summary>
    public string? Urls { get; set; }

    /// <summary>Port on 127.0.0.1 (0.0.0.0 with <see cref="BindAny"/>); 0 picks a free port.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Where grain state lives (FileGrainStorage root).</summary>
    public string DataDir { get; set; } = Path.Combine(Directory.GetCurrentDirectory(), "sageserve-data");

    /// <summary>Key for the control endpoints (header <c>X-Api-Key</c>); null disables them.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Allow listening on every interface (0.0.0.0, [::], *).</summary>
    public bool BindAny { get; set; }

    /// <summary>
    /// HTTP versions: <c>Http1AndHttp2</c> (default; HTTP/2 is negotiated over TLS, cleartext connections speak
    /// HTTP/1.1), <c>Http2</c> (cleartext HTTP/2 with prior knowledge, h2c) or <c>Http1</c>.
    /// </summary>
    public string Protocols { get; set; } = "Http1AndHttp2";

    /// <summary>OpenTelemetry collector base address for OTLP/HTTP (JSON) metrics, e.g. <c>http://127.0.0.1:4318</c>; null: off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Seconds between OTLP exports. Default 10.</summary>
    public int OtlpIntervalSeconds { get; set; } = 10;

    /// <summary>Largest accepted request body.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Instances per (region, model) in the default topology.</summary>
    public int InstancesPerModel { get; set; } = 2;

    /// <summary>
    /// Workers behind the instances: <c>simulated</c> (default; a latency model in real time) or <c>native</c> (a real
    /// libsageserve_native CPU engine per instance; its latency is CPU time, not GPU time).
    /// </summary>
    public string Workers { get; set; } = "simulated";

    /// <summary>
    /// The serving strategy the regions run (as in <c>sageserve simulate</c>): <c>Reactive</c> (default), <c>Siloed</c>,
    /// <c>Chiron</c>, <c>LT-I</c>, <c>LT-U</c>, <c>LT-UA</c> or <c>SageServe+</c>; the LT and SageServe+ strategies
    /// scale to the planner's targets.
    /// </summary>
    public string Strategy { get; set; } = "Reactive";

    /// <summary>
    /// Azure Storage connection string (e.g. Azurite's <c>UseDevelopmentStorage=true</c>, or one with
    /// <c>BlobEndpoint=</c>): when set, the silo joins a cluster whose membership table and grain state live in that
    /// account; when null it runs stand-alone with file storage.
    /// </summary>
    public string? ClusterStorage { get; set; }

    /// <summary>The cluster's name: silos with the same storage and id form one cluster (containers <c>&lt;id&gt;-membership</c>, <c>&lt;id&gt;-grains</c>).</summary>
    public string ClusterId { get; set; } = "sageserve";

    /// <summary>Port for silo-to-silo traffic (cleartext HTTP/2, same bind address as the API); 0 picks a free one.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The region this silo runs in; its region's grains prefer it. Default: the topology's first region.</summary>
    public string? Region { get; set; }

    /// <summary>Host name other silos use to reach this one. Default 127.0.0.1.</summary>
    public string AdvertiseHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// Failure detection: a silo missing this many 1-second probes from each of two others is declared dead
    /// (about this many seconds after it stops answering). Default 3.
    /// </summary>
    public int ProbeFailuresBeforeDead { get; set; } = 3;

    /// <summary>The planner's formulation: <c>ilp</c> (default; the co-optimising ILP on CBC) or <c>reference</c>.</summary>
    public string Planner { get; set; } = "ilp";

    /// <summary>
    /// Start the hourly planner with the silo (default). Off for a silo that does not own the planner: the cluster
    /// calls <see cref="LiveControlPlane.EnsurePlannerAsync"/> when it does; a forced plan still runs it.
    /// </summary>
    public bool PlannerAtStart { get; set; } = true;

    /// <summary>A trace of the past to seed the planner's per-minute history (its end is "now"); null: none.</summary>
    public string? PlannerHistory { get; set; }

    /// <summary>Reads the keys of this class from <paramref name="configuration"/> (names as the properties, case-insensitive).</summary>
    public static SiloHostOptions From(IConfiguration configuration)
    {
        var options = new SiloHostOptions();
        options.Urls = Text(configuration, nameof(Urls)) ?? options.Urls;
        options.Port = Int(configuration, nameof(Port), "--port") ?? options.Port;
        options.DataDir = Text(configuration, nameof(DataDir)) ?? options.DataDir;
        options.ApiKey = Text(configuration, nameof(ApiKey)) ?? options.ApiKey;
        options.OtlpEndpoint = Text(configuration, nameof(OtlpEndpoint)) ?? options.OtlpEndpoint;
        options.OtlpIntervalSeconds = Int(configuration, nameof(OtlpIntervalSeconds), "OtlpIntervalSeconds") ?? options.OtlpIntervalSeconds;
        options.Protocols = Text(configuration, nameof(Protocols)) ?? options.Protocols;
        options.BindAny = Bool(configuration, nameof(BindAny), "--bind-any") ?? options.BindAny;
        options.MaxRequestBodyBytes = Int(configuration, nameof(MaxRequestBodyBytes), "MaxRequestBodyBytes") ?? options.MaxRequestBodyBytes;
        options.InstancesPerModel = Int(configuration, nameof(InstancesPerModel), "InstancesPerModel") ?? options.InstancesPerModel;
        options.Workers = Text(configuration, nameof(Workers)) ?? options.Workers;
        options.Strategy = Text(configuration, nameof(Strategy)) ?? options.Strategy;
        options.ClusterStorage = Text(configuration, nameof(ClusterStorage)) ?? options.ClusterStorage;
        options.ClusterId = Text(configuration, nameof(ClusterId)) ?? options.ClusterId;
        options.SiloPort = Int(configuration, nameof(SiloPort), "--silo-port") ?? options.SiloPort;
        options.Region = Text(configuration, nameof(Region)) ?? options.Region;
        options.AdvertiseHost = Text(configuration, nameof(AdvertiseHost)) ?? options.AdvertiseHost;
        options.ProbeFailuresBeforeDead = Int(configuration, nameof(ProbeFailuresBeforeDead), "ProbeFailuresBeforeDead") ?? options.ProbeFailuresBeforeDead;
        options.Planner = Text(configuration, nameof(Planner)) ?? options.Planner;
        options.PlannerAtStart = Bool(configuration, nameof(PlannerAtStart), "--no-planner") ?? options.PlannerAtStart;
        options.PlannerHistory = Text(configuration, nameof(PlannerHistory)) ?? options.PlannerHistory;
        return options;
    }

    /// <summary>The URLs Kestrel listens on.</summary>
    public IReadOnlyList<string> ListenUrls =>
        string.IsNullOrWhiteSpace(Urls)
            ? [string.Create(CultureInfo.InvariantCulture, $"http://{(BindAny ? "0.0.0.0" : "127.0.0.1")}:{Port}")]
            : Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws <see cref="SiloOptionException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new SiloOptionException("--port", $"must be 0..65535 (got {Port})");
        }

        foreach (var url in ListenUrls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://any-host", StringComparison.Ordinal).Replace("://+", "://any-host", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            {
                throw new SiloOptionException("--urls", $"'{url}' is not an http:// or https:// URL");
            }

            var anyHost = uri.Host is "any-host" or "0.0.0.0" or "[::]" or "::";
            if (anyHost && !BindAny)
            {
                throw new SiloOptionException("--urls", $"'{url}' listens on every interface; pass --bind-any to allow it (the default is 127.0.0.1 only)");
            }
        }

        if (Protocols is not ("Http1AndHttp2" or "Http2" or "Http1"))
        {
            throw new SiloOptionException("--protocols", $"must be Http1AndHttp2, Http2 or Http1 (got '{Protocols}')");
        }

        if (OtlpEndpoint is not null && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) || otlp.Scheme is not ("http" or "https")))
        {
            throw new SiloOptionException("--otlp-endpoint", $"'{OtlpEndpoint}' is not an absolute http:// or https:// URL");
        }

        if (OtlpIntervalSeconds is < 1 or > 3600)
        {
            throw new SiloOptionException("OtlpIntervalSeconds", $"must be 1..3600 (got {OtlpIntervalSeconds})");
        }

        if (string.IsNullOrWhiteSpace(DataDir))
        {
            throw new SiloOptionException("--data-dir", "must not be empty");
        }

        if (ApiKey is not null && ApiKey.Length < 8)
        {
            throw new SiloOptionException("--api-key", "must be at least 8 characters");
        }

        if (MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new SiloOptionException("MaxRequestBodyBytes", $"must be 1024..16777216 (got {MaxRequestBodyBytes})");
        }

        if (InstancesPerModel is < 1 or > 64)
        {
            throw new SiloOptionException("InstancesPerModel", $"must be 1..64 (got {InstancesPerModel})");
        }

        if (Grains.Strategies.ServingStrategies.Names.FirstOrDefault(n => string.Equals(n, Strategy, StringComparison.OrdinalIgnoreCase)) is not { } strategy)
        {
            throw new SiloOptionException("--strategy", $"unknown strategy '{Strategy}' (available: {string.Join(", ", Grains.Strategies.ServingStrategies.Names)})");
        }

        Strategy = strategy;

        if (Workers is not ("simulated" or "native"))
        {
            throw new SiloOptionException("--workers", $"must be simulated or native (got '{Workers}')");
        }

        if (SiloPort is < 0 or > 65535)
        {
            throw new SiloOptionException("--silo-port", $"must be 0..65535 (got {SiloPort})");
        }

        if (ClusterStorage is not null)
        {
            try
            {
                _ = Runtime.Storage.Azure.AzureStorageConnectionString.Parse(ClusterStorage);
            }
            catch (FormatException e)
            {
                throw new SiloOptionException("--cluster-storage", e.Message);
            }

            if (ClusterId.Length is < 3 or > 40 || !ClusterId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || ClusterId.StartsWith('-') || ClusterId.Contains("--", StringComparison.Ordinal))
            {
                throw new SiloOptionException("--cluster-id", $"must be 3..40 characters of a-z, 0-9 and single '-', not starting with '-' (got '{ClusterId}'); it prefixes blob container names");
            }

            if (SiloPort != 0 && SiloPort == Port && string.IsNullOrWhiteSpace(Urls))
            {
                throw new SiloOptionException("--silo-port", $"must differ from --port ({Port}): the API and silo-to-silo traffic listen separately");
            }

            if (string.IsNullOrWhiteSpace(AdvertiseHost) || AdvertiseHost.Any(char.IsWhiteSpace))
            {
                throw new SiloOptionException("--advertise-host", "must be a host name or IP address without spaces");
            }

            if (ProbeFailuresBeforeDead is < 1 or > 60)
            {
                throw new SiloOptionException("ProbeFailuresBeforeDead", $"must be 1..60 (got {ProbeFailuresBeforeDead})");
            }
        }

        if (Region is not null && !DefaultTopology.Regions.Any(r => r.Name == Region))
        {
            throw new SiloOptionException("--region", $"'{Region}' is not a region of the topology ({string.Join(", ", DefaultTopology.Regions)})");
        }

        if (Planner is not ("ilp" or "reference"))
        {
            throw new SiloOptionException("--planner", $"must be ilp or reference (got '{Planner}')");
        }

        if (PlannerHistory is not null && !File.Exists(PlannerHistory))
        {
            throw new SiloOptionException("--planner-history", $"file not found: {PlannerHistory}");
        }

        if (Workers == "native")
        {
            try
            {
                Grains.Workers.Native.NativeLibraryLocator.EnsureLoaded();
            }
            catch (DllNotFoundException e)
            {
                throw new SiloOptionException("--workers", e.Message);
            }
        }

        try
        {
            Directory.CreateDirectory(DataDir);
            var probe = Path.Combine(DataDir, ".write-probe");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new SiloOptionException("--data-dir", $"cannot write to '{DataDir}': {e.Message}");
        }
    }

    private static string? Text(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value ? value : null;

    private static int? Int(IConfiguration configuration, string key, string option) =>
        Text(configuration, key) is not { } value ? null
        : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new SiloOptionException(option, $"'{value}' is not an integer");

    private static bool? Bool(IConfiguration configuration, string key, string option) =>
        Text(configuration, key) is not { } value ? null
        : bool.TryParse(value, out var b) ? b
        : throw new SiloOptionException(option, $"'{value}' is not true or false");
}
