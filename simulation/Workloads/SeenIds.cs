namespace SageServe.Simulation.Workloads;

/// <summary>
/// Set of request ids seen so far, compact for the usual dense non-negative ids: a bitmap below 2^28, a hash set
/// for anything else. Ten million dense ids cost 1.25 MB instead of a few hundred in a hash set.
/// </summary>
internal sealed class SeenIds
{
    private const long BitmapLimit = 1L << 28;
    private ulong[] _bits = new ulong[1024];
    private HashSet<long>? _other;

    /// <summary>Adds <paramref name="id"/>; false when it was already present.</summary>
    public bool Add(long id)
    {
        if (id is >= 0 and < BitmapLimit)
        {
            long word = id >> 6;
            if (word >= _bits.Length)
            {
                Array.Resize(ref _bits, (int)Math.Min(Math.Max(word + 1, _bits.Length * 2L), BitmapLimit >> 6));
            }

            ulong mask = 1UL << (int)(id & 63);
            if ((_bits[word] & mask) != 0)
            {
                return false;
            }

            _bits[word] |= mask;
            return true;
        }

        _other ??= [];
        return _other.Add(id);
    }
}
