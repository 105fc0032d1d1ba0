namespace SageServe.Simulation.Workloads;

/// <summary>Exact streaming histogram of token counts: a dense array below 65,536, a sorted list above.</summary>
public sealed class TokenHistogram
{
    private const int DenseLimit = 1 << 16;
    private readonly long[] _dense = new long[DenseLimit];
    private readonly SortedDictionary<int, long> _sparse = [];
    private double _sum;

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Mean value (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : _sum / Count;

    /// <summary>Records one value.</summary>
    public void Add(int tokens)
    {
        if ((uint)tokens < DenseLimit)
        {
            _dense[tokens]++;
        }
        else
        {
            _sparse[tokens] = _sparse.GetValueOrDefault(tokens) + 1;
        }

        _sum += tokens;
        Count++;
    }

    /// <summary>The smallest recorded value v such that at least <paramref name="quantile"/> of values are ≤ v.</summary>
    public int Percentile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int v = 0; v < DenseLimit; v++)
        {
            seen += _dense[v];
            if (seen >= rank)
            {
                return v;
            }
        }

        foreach ((int v, long n) in _sparse)
        {
            seen += n;
            if (seen >= rank)
            {
                return v;
            }
        }

        return _sparse.Count > 0 ? _sparse.Keys.Last() : DenseLimit - 1;
    }
}
