using SageServe.Grains.Domain;
using SageServe.Grains.Observability;
using SageServe.Grains.Scaling;

namespace SageServe.Simulation.Metrics;

/// <summary>
/// Integrates the fleet samples regions send every control tick into GPU-hours, wasted GPU-hours and cost, counts
/// scaling actions, and keeps bucketed time series (last sample in each bucket). The fleet is piecewise constant
/// between samples, so the integral is exact to within one control interval.
/// </summary>
public sealed class FleetCollector(DateTimeOffset epoch, TimeSpan bucket) : IFleetObserver
{
    private readonly Dictionary<RegionId, (DateTimeOffset At, FleetSample Sample)> _last = [];
    private readonly Dictionary<ScalingAction, long> _actions = [];
    private readonly SortedDictionary<string, List<int>> _instances = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<int>> _gpus = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<long>> _niwQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _gpuHoursByRegion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _gpuHoursByModel = new(StringComparer.Ordinal);

    /// <summary>Bucket width of the time series.</summary>
    public TimeSpan Bucket { get; } = bucket;

    /// <summary>GPU-hours held in every state.</summary>
    public double GpuHours { get; private set; }

    /// <summary>GPU-hours held while provisioning, reclaiming or loading (unusable because of scaling).</summary>
    public double WastedGpuHours { get; private set; }

    /// <summary>Cost of the held VMs.</summary>
    public double CostUsd { get; private set; }

    /// <summary>Scaling actions by kind.</summary>
    public IReadOnlyDictionary<ScalingAction, long> Actions => _actions;

    /// <summary>Serving instances per "region/model", one value per bucket.</summary>
    public IReadOnlyDictionary<string, List<int>> Instances => _instances;

    /// <summary>GPUs held per region, one value per bucket.</summary>
    public IReadOnlyDictionary<string, List<int>> Gpus => _gpus;

    /// <summary>NIW queue depth per region, one value per bucket.</summary>
    public IReadOnlyDictionary<string, List<long>> NiwQueue => _niwQueue;

    /// <summary>GPU-hours per region.</summary>
    public IReadOnlyDictionary<string, double> GpuHoursByRegion => _gpuHoursByRegion;

    /// <summary>GPU-hours per model.</summary>
    public IReadOnlyDictionary<string, double> GpuHoursByModel => _gpuHoursByModel;

    /// <inheritdoc />
    public void OnScaled(RegionId region, ModelId model, PoolRole pool, ScalingAction action, DateTimeOffset at) =>
        _actions[action] = _actions.GetValueOrDefault(action) + 1;

    /// <inheritdoc />
    public void OnSample(RegionId region, FleetSample sample, DateTimeOffset at)
    {
        if (_last.TryGetValue(region, out var previous))
        {
            Integrate(region, previous.Sample, (at - previous.At).TotalHours);
        }
        else
        {
            // The fleet existed from the epoch: account the span before the first sample with the first sample.
            Integrate(region, sample, (at - epoch).TotalHours);
        }

        _last[region] = (at, sample);
        var index = (int)((at - epoch) / Bucket);
        var gpus = 0;
        foreach (var m in sample.Models)
        {
            Record(_instances, $"{region}/{m.Model}", index, m.Serving);
            gpus += (m.Serving + m.Starting + m.Draining) * m.GpusPerInstance;
        }

        Record(_gpus, region.Name, index, gpus);
        Record(_niwQueue, region.Name, index, (long)sample.NiwQueued);
    }

    /// <summary>Accounts each region's last sample up to <paramref name="end"/>.</summary>
    public void Close(DateTimeOffset end)
    {
        foreach (var (region, (at, sample)) in _last.ToArray())
        {
            if (end > at)
            {
                Integrate(region, sample, (end - at).TotalHours);
                _last[region] = (end, sample);
            }
        }
    }

    private void Integrate(RegionId region, FleetSample sample, double hours)
    {
        if (hours <= 0)
        {
            return;
        }

        foreach (var m in sample.Models)
        {
            var held = (m.Serving + m.Starting + m.Draining) * m.GpusPerInstance * hours;
            GpuHours += held;
            WastedGpuHours += m.Starting * m.GpusPerInstance * hours;
            CostUsd += (m.Serving + m.Starting + m.Draining) * m.UsdPerHourPerInstance * hours;
            _gpuHoursByRegion[region.Name] = _gpuHoursByRegion.GetValueOrDefault(region.Name) + held;
            _gpuHoursByModel[m.Model.Name] = _gpuHoursByModel.GetValueOrDefault(m.Model.Name) + held;
        }
    }

    private static void Record<T>(SortedDictionary<string, List<T>> series, string key, int index, T value)
    {
        if (!series.TryGetValue(key, out var list))
        {
            list = [];
            series.Add(key, list);
        }

        var fill = list.Count > 0 ? list[^1] : value;
        while (list.Count <= index)
        {
            list.Add(fill);
        }

        list[index] = value;
    }
}
