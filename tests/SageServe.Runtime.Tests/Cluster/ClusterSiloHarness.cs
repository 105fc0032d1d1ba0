using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using SageServe.Runtime.Cluster;
using SageServe.Runtime.Cluster.Remoting;
using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Tests.Cluster;

public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>The name of the silo this activation lives on.</summary>
    ValueTask<string> WhereAsync(int unused);

    /// <summary>Adds to an in-memory counter; returns the new total.</summary>
    ValueTask<int> AddAsync(int delta);

    /// <summary>Calls another grain of this type and returns where it ran.</summary>
    Task<string> RelayAsync(string otherKey);

    /// <summary>Throws an <see cref="ArgumentException"/> with the given message.</summary>
    ValueTask FailAsync(string message);

    /// <summary>Holds its turn for <paramref name="hold"/> (real time), then says where it ran.</summary>
    Task<string> HoldAsync(TimeSpan hold);
}

public sealed class WhereGrain(string silo) : Grain, IWhereGrain
{
    private int _total;

    public ValueTask<string> WhereAsync(int unused) => ValueTask.FromResult(silo);

    public ValueTask<int> AddAsync(int delta) => ValueTask.FromResult(_total += delta);

    public async Task<string> RelayAsync(string otherKey) => await GrainFactory.GetGrain<IWhereGrain>(otherKey).WhereAsync(0);

    public ValueTask FailAsync(string message) => throw new ArgumentException(message);

    public async Task<string> HoldAsync(TimeSpan hold)
    {
        await Task.Delay(hold);
        return silo;
    }
}

public sealed class WhereGrainReference(GrainReference reference) : IWhereGrain
{
    private static readonly CallDescriptor s_where = CallDescriptor.For<IWhereGrain>(nameof(IWhereGrain.WhereAsync));
    private static readonly CallDescriptor s_add = CallDescriptor.For<IWhereGrain>(nameof(IWhereGrain.AddAsync));
    private static readonly CallDescriptor s_relay = CallDescriptor.For<IWhereGrain>(nameof(IWhereGrain.RelayAsync));
    private static readonly CallDescriptor s_fail = CallDescriptor.For<IWhereGrain>(nameof(IWhereGrain.FailAsync));
    private static readonly CallDescriptor s_hold = CallDescriptor.For<IWhereGrain>(nameof(IWhereGrain.HoldAsync));

    public ValueTask<string> WhereAsync(int unused) => reference.InvokeAsync(s_where, unused, static (IWhereGrain g, int u) => g.WhereAsync(u));

    public ValueTask<int> AddAsync(int delta) => reference.InvokeAsync(s_add, delta, static (IWhereGrain g, int d) => g.AddAsync(d));

    public Task<string> RelayAsync(string otherKey) => reference.InvokeAsync(s_relay, otherKey, static (IWhereGrain g, string k) => g.RelayAsync(k));

    public ValueTask FailAsync(string message) => reference.InvokeAsync(s_fail, message, static (IWhereGrain g, string m) => g.FailAsync(m));

    public Task<string> HoldAsync(TimeSpan hold) => reference.InvokeAsync(s_hold, hold, static (IWhereGrain g, TimeSpan h) => g.HoldAsync(h));
}

/// <summary>One clustered silo in this process: a real Kestrel HTTP/2 listener on loopback, a membership agent, a silo.</summary>
internal sealed class ClusterSiloHarness : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly HttpSiloTransport _transport;

    private ClusterSiloHarness(string name, WebApplication web, HttpSiloTransport transport, MembershipAgent agent, ClusterRouting routing, Hosting.Silo silo)
    {
        Name = name;
        _web = web;
        _transport = transport;
        Agent = agent;
        Routing = routing;
        Silo = silo;
    }

    public string Name { get; }

    public MembershipAgent Agent { get; }

    public ClusterRouting Routing { get; }

    public Hosting.Silo Silo { get; }

    public SiloAddress Address => Agent.Address;

    public IWhereGrain Grain(string key) => Silo.GrainFactory.GetGrain<IWhereGrain>(key);

    public static async Task<ClusterSiloHarness> StartAsync(string name, string region, IMembershipTable table, ClusterOptions options, int port = 0)
    {
        ClusterRouting? routing = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port == 0 ? FreePort() : port, l => l.Protocols = HttpProtocols.Http2));
        var web = builder.Build();
        web.MapSiloTransport(() => routing, ClusterKey);
        await web.StartAsync();
        var bound = new Uri(web.Urls.Single()).Port;
        var address = new SiloAddress("127.0.0.1", bound, SiloAddress.GenerationAt(TimeProvider.System.GetUtcNow()) + Interlocked.Increment(ref s_generation), region);
        var transport = new HttpSiloTransport(address.ToString(), ClusterKey);
        var agent = new MembershipAgent(address, table, transport, options, TimeProvider.System);
        routing = new ClusterRouting(agent, transport);
        var silo = new SiloBuilder()
            .Configure(o => { o.Name = name; o.DefaultCallTimeout = TimeSpan.FromSeconds(10); })
            .UseLiveScheduler()
            .UseCluster(routing)
            .AddGrain<IWhereGrain, WhereGrain>("region", () => new WhereGrain(name), r => new WhereGrainReference(r))
            .Build();
        await agent.StartAsync();
        return new ClusterSiloHarness(name, web, transport, agent, routing, silo);
    }

    private static long s_generation;

    public const string ClusterKey = "test-cluster-key";

    public Uri SiloUri => new($"http://{Address.Endpoint}/");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops answering at once, as a killed process does (its table row stays Active).</summary>
    public async Task CrashAsync()
    {
        await Agent.DisposeAsync();
        await _web.StopAsync(new CancellationToken(canceled: true));
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _web.DisposeAsync();
        await Silo.DisposeAsync();
        _transport.Dispose();
    }
}
