namespace SageServe.Runtime;

/// <summary>The identity of a grain: its type name and a string key. Stable across activations and silos.</summary>
/// <param name="Type">The grain type name (e.g. <c>region</c>).</param>
/// <param name="Key">The key within that type (e.g. <c>westus</c>).</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>A stable 64-bit hash (FNV-1a over UTF-16 code units); never <see cref="string.GetHashCode()"/>.</summary>
    public ulong StableHash()
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var c in Type)
        {
            hash = (hash ^ c) * prime;
        }

        hash = (hash ^ '/') * prime;
        foreach (var c in Key)
        {
            hash = (hash ^ c) * prime;
        }

        return hash;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
