using SageServe.Grains.Domain;
using SageServe.Grains.Hosting;
using SageServe.Grains.Scaling;

namespace SageServe.Grains.Regions;

/// <summary>Everything this region knows about one model.</summary>
internal sealed class RegionModelState(Deployment deployment, InstanceCapacity capacity, List<InstancePool> pools)
{
    public Deployment Deployment { get; } = deployment;

    public InstanceCapacity Capacity { get; } = capacity;

    public Strategies.ModelPools Pools { get; } = new(deployment.Model, pools, capacity.TokensPerSecond);

    public NiwQueue Queue { get; } = new();

    public Planner.TrafficMinutes Traffic { get; } = new();

    /// <summary>Shares of interactive traffic the plan sends to other regions.</summary>
    public IReadOnlyList<(RegionId To, double Fraction)> Spill { get; private set; } = [];

    private double[] _spilled = [];
    private double _seen;

    public void SetSpill(IReadOnlyList<(RegionId To, double Fraction)> spill)
    {
        Spill = spill;
        _spilled = new double[spill.Count];
        _seen = 0;
    }

    /// <summary>
    /// Deterministic share-keeping (no randomness): forward this request to the region whose delivered share lags
    /// its planned share the most, or keep it home (null) when every share is met.
    /// </summary>
    public RegionId? TakeSpill()
    {
        _seen++;
        var best = -1;
        var bestLag = 0.0;
        for (var i = 0; i < Spill.Count; i++)
        {
            var lag = (Spill[i].Fraction * _seen) - _spilled[i];
            if (lag >= 1 - 1e-9 && lag > bestLag)
            {
                best = i;
                bestLag = lag;
            }
        }

        if (best < 0)
        {
            return null;
        }

        _spilled[best]++;
        return Spill[best].To;
    }

    public int NextIndex { get; set; }
}
