namespace SageServe.Planning.Capacity;

/// <summary>
/// Memory facts of one served model, derived from its architecture (fp16 weights and KV cache).
/// </summary>
/// <param name="Model">Model name used across the system (e.g. <c>A</c>).</param>
/// <param name="Architecture">Human-readable architecture name (e.g. <c>Llama-2-70B</c>).</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="KvHeads">Key/value heads per layer (fewer than query heads under grouped-query attention).</param>
/// <param name="HeadDim">Dimension of one head.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="BytesPerValue">Bytes per weight and per KV element (2 for fp16/bf16).</param>
public sealed record ModelProfile(
    string Model,
    string Architecture,
    int Layers,
    int KvHeads,
    int HeadDim,
    long Parameters,
    int BytesPerValue = 2)
{
    /// <summary>Bytes per GPU-memory gigabyte used throughout (GiB: the 80 GB of an A100/H100 is 80 GiB).</summary>
    public const long BytesPerGigabyte = 1L << 30;

    /// <summary>Llama-2-70B (GQA: 80 layers, 8 KV heads of 128) = 327,680 B/token.</summary>
    public static ModelProfile Llama2_70B { get; } = new("A", "Llama-2-70B", 80, 8, 128, 70_000_000_000);

    /// <summary>Bloom-176B (MHA: 70 layers, 112 heads of 128) = 4,014,080 B/token.</summary>
    public static ModelProfile Bloom176B { get; } = new("B", "Bloom-176B", 70, 112, 128, 176_000_000_000);

    /// <summary>Llama-3.1-8B (GQA: 32 layers, 8 KV heads of 128) = 131,072 B/token.</summary>
    public static ModelProfile Llama31_8B { get; } = new("C", "Llama-3.1-8B", 32, 8, 128, 8_030_000_000);

    /// <summary>Llama-3.2-3B (GQA: 28 layers, 8 KV heads of 128) = 114,688 B/token.</summary>
    public static ModelProfile Llama32_3B { get; } = new("D", "Llama-3.2-3B", 28, 8, 128, 3_210_000_000);

    /// <summary>The four evaluation models A–D of the reference setup.</summary>
    public static IReadOnlyList<ModelProfile> Reference { get; } = [Llama2_70B, Bloom176B, Llama31_8B, Llama32_3B];

    /// <summary>KV-cache bytes one token occupies: layers × KV heads × head dim × 2 (K and V) × bytes.</summary>
    public long KvBytesPerToken => (long)Layers * KvHeads * HeadDim * 2 * BytesPerValue;

    /// <summary>Bytes of the weights.</summary>
    public long WeightsBytes => Parameters * BytesPerValue;

    /// <summary>
    /// Tokens of KV cache one instance can hold: (GPUs × GPU memory × usable fraction − weights) / KV bytes per
    /// token; zero when the weights do not fit.
    /// </summary>
    /// <param name="gpus">GPUs the instance spans (its tensor parallelism).</param>
    /// <param name="gpuMemoryGigabytes">Memory of one GPU in GiB.</param>
    /// <param name="usableFraction">Share of GPU memory available to weights plus KV (activations and
    /// fragmentation take the rest).</param>
    public long KvCapacityTokens(int gpus, double gpuMemoryGigabytes = 80, double usableFraction = 0.9)
    {
        double free = (gpus * gpuMemoryGigabytes * BytesPerGigabyte * usableFraction) - WeightsBytes;
        return free <= 0 ? 0 : (long)(free / KvBytesPerToken);
    }

    /// <summary>Looks up a reference profile by model name (<c>A</c>–<c>D</c>) or architecture name.</summary>
    /// <returns>The profile, or null when unknown.</returns>
    public static ModelProfile? Find(string name) =>
        Reference.FirstOrDefault(p =>
            string.Equals(p.Model, name, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(p.Architecture, name, StringComparison.OrdinalIgnoreCase));
}
