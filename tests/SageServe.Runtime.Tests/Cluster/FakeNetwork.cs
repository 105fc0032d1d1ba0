using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>
/// Which silos answer probes: a silo can be down (answers nobody) or cut off from one prober only. Each silo gets its
/// own <see cref="ISiloProber"/> view via <see cref="ProberFor"/>.
/// </summary>
internal sealed class FakeNetwork
{
    private readonly HashSet<SiloAddress> _down = [];
    private readonly HashSet<(SiloAddress From, SiloAddress To)> _cut = [];
    private readonly Lock _lock = new();

    public int ProbeCount { get; private set; }

    public void Down(SiloAddress silo)
    {
        lock (_lock)
        {
            _down.Add(silo);
        }
    }

    public void Up(SiloAddress silo)
    {
        lock (_lock)
        {
            _down.Remove(silo);
        }
    }

    public void Cut(SiloAddress from, SiloAddress to)
    {
        lock (_lock)
        {
            _cut.Add((from, to));
        }
    }

    public void Heal(SiloAddress from, SiloAddress to)
    {
        lock (_lock)
        {
            _cut.Remove((from, to));
        }
    }

    public ISiloProber ProberFor(SiloAddress from) => new Prober(this, from);

    private bool Answers(SiloAddress from, SiloAddress to)
    {
        lock (_lock)
        {
            ProbeCount++;
            return !_down.Contains(to) && !_down.Contains(from) && !_cut.Contains((from, to));
        }
    }

    private sealed class Prober(FakeNetwork network, SiloAddress from) : ISiloProber
    {
        public Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken) =>
            Task.FromResult(network.Answers(from, target));
    }
}
