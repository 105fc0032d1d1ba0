namespace SageServe.Grains.Planner;

/// <summary>
/// Per-minute interactive prompt tokens of one (region, model), as the region sees arrivals, plus a sliding
/// 60-second sum for anomaly detection. Completed minutes wait here until the planner collects them.
/// </summary>
public sealed class TrafficMinutes
{
    private const int SlotsPerMinute = 6;
    private readonly double[] _tenSeconds = new double[SlotsPerMinute];
    private readonly List<(long Minute, double Tokens)> _completed = [];
    private long _slot = -1;
    private long _minute = -1;
    private double _currentMinute;

    /// <summary>Records an arrival of <paramref name="promptTokens"/> at <paramref name="at"/>, minutes counted from <paramref name="epoch"/>.</summary>
    public void Record(DateTimeOffset epoch, DateTimeOffset at, double promptTokens)
    {
        Roll(epoch, at);
        _currentMinute += promptTokens;
        _tenSeconds[(int)(_slot % SlotsPerMinute)] += promptTokens;
    }

    /// <summary>Prompt tokens over the last 60 seconds at <paramref name="at"/> (six 10-second buckets).</summary>
    public double LastMinute(DateTimeOffset epoch, DateTimeOffset at)
    {
        Roll(epoch, at);
        return _tenSeconds.Sum();
    }

    /// <summary>Takes every completed minute up to <paramref name="at"/> (gaps filled with zeros).</summary>
    public IReadOnlyList<(long Minute, double Tokens)> Drain(DateTimeOffset epoch, DateTimeOffset at)
    {
        Roll(epoch, at);
        var taken = _completed.ToList();
        _completed.Clear();
        return taken;
    }

    private void Roll(DateTimeOffset epoch, DateTimeOffset at)
    {
        var elapsed = at - epoch;
        var slot = (long)(elapsed.Ticks / (TimeSpan.TicksPerSecond * 10));
        var minute = (long)(elapsed.Ticks / TimeSpan.TicksPerMinute);
        if (_minute < 0)
        {
            _minute = minute;
            _slot = slot;
            return;
        }

        for (var s = _slot + 1; s <= slot && s <= _slot + SlotsPerMinute; s++)
        {
            _tenSeconds[(int)(s % SlotsPerMinute)] = 0;
        }

        _slot = Math.Max(_slot, slot);
        while (_minute < minute)
        {
            _completed.Add((_minute, _currentMinute));
            _currentMinute = 0;
            _minute++;
        }
    }
}
