using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>N membership agents over one table (in-memory unless given), ticked explicitly in virtual time.</summary>
internal sealed class TestCluster
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HashSet<SiloAddress> _paused = [];

    public TestCluster(ClusterOptions? options = null, IMembershipTable? table = null)
    {
        Options = options ?? new ClusterOptions();
        Table = table ?? new InMemoryMembershipTable();
        Time = new ManualTimeProvider(Epoch);
    }

    public ClusterOptions Options { get; }

    public ManualTimeProvider Time { get; }

    public IMembershipTable Table { get; }

    public FakeNetwork Network { get; } = new();

    public List<MembershipAgent> Agents { get; } = [];

    public static SiloAddress Silo(int index, string region = "westus", long generation = 1) =>
        new($"10.0.0.{index}", 11111, generation, region);

    public async Task<MembershipAgent> StartAsync(SiloAddress address)
    {
        var agent = new MembershipAgent(address, Table, Network.ProberFor(address), Options, Time);
        await agent.StartAsync();
        Agents.Add(agent);
        return agent;
    }

    public async Task StartAsync(int count, Func<int, string>? regionOf = null)
    {
        for (var i = 1; i <= count; i++)
        {
            await StartAsync(Silo(i, regionOf?.Invoke(i) ?? "westus"));

            // Distinct start times make the singleton rule (oldest wins) observable.
            Time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    public MembershipAgent Agent(SiloAddress address) => Agents.Single(a => a.Address == address);

    /// <summary>A crashed or frozen process: it neither ticks nor answers probes.</summary>
    public void Pause(SiloAddress silo)
    {
        _paused.Add(silo);
        Network.Down(silo);
    }

    public void Resume(SiloAddress silo)
    {
        _paused.Remove(silo);
        Network.Up(silo);
    }

    /// <summary>Stops ticking <paramref name="silo"/> (no heartbeats, no reads) while it still answers probes.</summary>
    public void Freeze(SiloAddress silo) => _paused.Add(silo);

    public async Task TickAllAsync()
    {
        foreach (var agent in Agents.Where(a => !_paused.Contains(a.Address)))
        {
            await agent.TickAsync();
        }
    }

    /// <summary>Advances in <paramref name="step"/>s, ticking every unpaused agent after each, until <paramref name="until"/> holds.</summary>
    /// <returns>The virtual time it took, or <see langword="null"/> if <paramref name="limit"/> passed first.</returns>
    public Task<TimeSpan?> RunUntilAsync(Func<bool> until, TimeSpan limit, TimeSpan? step = null) =>
        RunUntilAsync(() => Task.FromResult(until()), limit, step);

    /// <inheritdoc cref="RunUntilAsync(Func{bool}, TimeSpan, TimeSpan?)"/>
    public async Task<TimeSpan?> RunUntilAsync(Func<Task<bool>> until, TimeSpan limit, TimeSpan? step = null)
    {
        var start = Time.GetUtcNow();
        while (!await until())
        {
            if (Time.GetUtcNow() - start >= limit)
            {
                return null;
            }

            Time.Advance(step ?? TimeSpan.FromSeconds(1));
            await TickAllAsync();
        }

        return Time.GetUtcNow() - start;
    }

    public async Task RunForAsync(TimeSpan duration, TimeSpan? step = null) =>
        await RunUntilAsync(() => false, duration, step);

    public async Task<SiloStatus?> StatusInTableAsync(SiloAddress silo) =>
        (await Table.ReadAllAsync()).Find(silo)?.Status;
}
