namespace SageServe.Runtime;

/// <summary>Derives independent, reproducible seeds from a root seed and identifying numbers (SplitMix64 finaliser).</summary>
public static class SeedMixer
{
    /// <summary>Mixes <paramref name="seed"/> with <paramref name="a"/> and <paramref name="b"/> into a 31-bit seed.</summary>
    public static int Mix(int seed, ulong a, ulong b = 0)
    {
        var x = Finalise(unchecked((ulong)seed + 0x9E3779B97F4A7C15UL));
        x = Finalise(x ^ a);
        x = Finalise(x ^ b);
        return (int)(x & 0x7FFFFFFF);
    }

    private static ulong Finalise(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
