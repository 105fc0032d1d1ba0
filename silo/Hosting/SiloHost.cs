using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SageServe.Runtime;
using SageServe.Silo.Api;
using SageServe.Silo.Dashboard;

namespace SageServe.Silo.Hosting;

/// <summary>
/// The live silo process: Kestrel (HTTP/1.1 and HTTP/2) serving the API and dashboard in front of a
/// <see cref="LiveControlPlane"/>. Start it with <see cref="StartAsync"/>; <see cref="StopAsync"/> stops accepting,
/// lets requests in flight finish, deactivates every grain, then releases the silo.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SiloMetrics _metrics;
    private readonly PrometheusCollector _collector;
    private readonly SiloCluster? _cluster;
    private OtlpJsonExporter? _otlp;
    private int _stopped;
    private volatile bool _declaredDead;

    private SiloHost(WebApplication app, LiveControlPlane plane, SiloMetrics metrics, PrometheusCollector collector, SiloCluster? cluster)
    {
        _app = app;
        Plane = plane;
        _metrics = metrics;
        _collector = collector;
        _cluster = cluster;
    }

    /// <summary>The process exit code: 0, or 3 when the cluster declared this silo dead (it stopped itself).</summary>
    public int ExitCode => _declaredDead ? 3 : 0;

    /// <summary>The control plane behind the API.</summary>
    public LiveControlPlane Plane { get; }

    /// <summary>The addresses Kestrel actually listens on (ports resolved).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>The OTLP exporter, when <see cref="SiloHostOptions.OtlpEndpoint"/> is set.</summary>
    public OtlpJsonExporter? Otlp => _otlp;

    /// <summary>The first address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>Stopping (SIGTERM, Ctrl-C or <see cref="IHostApplicationLifetime.StopApplication"/>).</summary>
    public CancellationToken ShutdownRequested => _app.Lifetime.ApplicationStopping;

    /// <summary>Validated <paramref name="options"/> → a started silo.</summary>
    /// <exception cref="SiloOptionException">Invalid options, or the address cannot be bound.</exception>
    public static async Task<SiloHost> StartAsync(SiloHostOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var metrics = new SiloMetrics();
        var collector = new PrometheusCollector(metrics.Meter);
        var cluster = options.ClusterStorage is null ? null : await SiloCluster.CreateAsync(options, options.Region ?? DefaultTopology.Regions[0].Name, log);
        var plane = new LiveControlPlane(options, metrics, log, cluster);
        if (cluster is not null)
        {
            try
            {
                await cluster.JoinAsync(cancellationToken);
            }
            catch (Exception e) when (e is Runtime.Storage.Azure.AzureBlobRequestException or HttpRequestException or InvalidOperationException)
            {
                await plane.DisposeAsync();
                await cluster.DisposeAsync();
                throw new SiloOptionException("--cluster-storage", $"cannot join cluster '{options.ClusterId}': {e.Message}");
            }

            log?.Invoke($"silo {cluster.Address} joined cluster '{options.ClusterId}' ({cluster.Agent.Snapshot.ActiveEntries().Count} active)");
            plane.StartClusterDuties();
        }

        try
        {
            await plane.Vms.BootAsync();
        }
        catch
        {
            await plane.DisposeAsync(); // destroys the engines the VMs that did load created
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            throw;
        }

        var recovered = await plane.RecoverNiwJobsAsync();
        if (recovered > 0)
        {
            log?.Invoke($"re-queued {recovered} non-interactive job(s) left unfinished by the previous run");
        }

        if (options.PlannerAtStart)
        {
            await plane.EnsurePlannerAsync();
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.UseUrls([.. options.ListenUrls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = Enum.Parse<HttpProtocols>(options.Protocols));
        });
        var app = builder.Build();
        var host = new SiloHost(app, plane, metrics, collector, cluster);
        if (cluster is not null)
        {
            cluster.Agent.DeclaredDead += (_, _) =>
            {
                // Like an Orleans silo: once the cluster says it is dead it must not serve; stop and exit non-zero.
                host._declaredDead = true;
                log?.Invoke($"silo {cluster.Address} was declared dead by the cluster; stopping (a restart joins under a new generation)");
                app.Lifetime.StopApplication();
            };
        }

        app.Use(async (context, next) =>
        {
            metrics.InFlight(+1);
            try
            {
                await next(context);
            }
            catch (SiloUnavailableException e) when (!context.Response.HasStarted)
            {
                // Not executed (the owner is moving or this silo cannot act): safe for the client to retry.
                context.Response.Headers.RetryAfter = "1";
                await HttpIo.ProblemAsync(context, 503, "Temporarily unavailable", e.Message, null);
            }
            catch (GrainCallTimeoutException e) when (!context.Response.HasStarted)
            {
                await HttpIo.ProblemAsync(context, 504, "Control plane timeout", e.Message, null);
            }
            finally
            {
                metrics.InFlight(-1);
            }
        });
        app.MapGet("/", context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(DashboardPage.Html, context.RequestAborted);
        });
        RouteEndpoints.Map(app, plane);
        NiwEndpoints.Map(app, plane);
        ClusterEndpoints.Map(app, plane, collector);
        ControlEndpoints.Map(app, plane, options.ApiKey);
        PlanEndpoints.Map(app, plane);
        app.MapFallback(context => HttpIo.ProblemAsync(context, 404, "Not found", $"no endpoint {context.Request.Method} {context.Request.Path}", null));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await host.DisposeAsync();
            throw new SiloOptionException(string.IsNullOrWhiteSpace(options.Urls) ? "--port" : "--urls", $"cannot listen on {string.Join(", ", options.ListenUrls)}: {e.Message}");
        }

        if (options.OtlpEndpoint is { } otlp)
        {
            host._otlp = new OtlpJsonExporter(collector, new Uri(otlp), TimeSpan.FromSeconds(options.OtlpIntervalSeconds), TimeProvider.System, log);
        }

        host.Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
        return host;
    }

    /// <summary>Stops accepting, drains requests in flight, deactivates every grain; returns how many went away.</summary>
    public async Task<int> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return 0;
        }

        await _app.StopAsync();
        var before = Plane.Silo.ActivationCount;
        if (_cluster is not null && !_declaredDead)
        {
            // Hand off: the others stop routing here as soon as they read ShuttingDown, then the grains go (leaving
            // changes the view, which already starts deactivating them).
            await _cluster.LeaveAsync();
        }

        await Plane.DeactivateAllAsync(TimeSpan.FromSeconds(10));
        return before - Plane.Silo.ActivationCount;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        await Plane.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_otlp is not null)
        {
            await _otlp.DisposeAsync();
        }

        _collector.Dispose();
        _metrics.Dispose();
    }
}
