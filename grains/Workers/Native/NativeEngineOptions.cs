namespace SageServe.Grains.Workers.Native;

/// <summary>
/// Shape of a native engine (its "model": random weights of this shape) and its resources. The defaults make a small
/// model whose decode step takes about a millisecond on one CPU core, so a laptop can run a live fleet of them.
/// </summary>
public sealed record NativeEngineOptions
{
    /// <summary>Transformer layers (≥ 1).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Query heads (a multiple of <see cref="KvHeads"/>).</summary>
    public int QueryHeads { get; init; } = 8;

    /// <summary>Key/value heads (grouped-query attention).</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Dimension of one head; the hidden size is <see cref="QueryHeads"/> × this.</summary>
    public int HeadDim { get; init; } = 64;

    /// <summary>KV-cache capacity in tokens (rounded down to whole pages). 2 layers × 2 kv heads × 64 × fp32 K+V is 2 KiB a token.</summary>
    public long MaxKvTokens { get; init; } = 16_384;

    /// <summary>Tokens per KV page; 0 lets the library choose (16).</summary>
    public int PageSize { get; init; }

    /// <summary>Threads of the engine's pool (≥ 1; the calling thread is one of them).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seed of the weights and synthetic activations.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Cap on concurrently decoding sequences; 0 means KV memory is the only cap.</summary>
    public int MaxRunning { get; init; }

    internal NativeInterop.EngineConfig ToConfig() => new()
    {
        Layers = Layers,
        QHeads = QueryHeads,
        KvHeads = KvHeads,
        HeadDim = HeadDim,
        MaxKvTokens = MaxKvTokens,
        PageSize = PageSize,
        Threads = Threads,
        Seed = Seed,
        MaxRunning = MaxRunning,
    };
}
