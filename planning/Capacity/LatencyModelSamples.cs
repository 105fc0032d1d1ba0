namespace SageServe.Planning.Capacity;

/// <summary>One measured prefill: <paramref name="PromptTokens"/> tokens processed in <paramref name="Seconds"/>.</summary>
/// <param name="PromptTokens">Prompt tokens in the prefill pass (for a batched prefill, the sum over the batch).</param>
/// <param name="Seconds">Measured prefill time in seconds.</param>
public readonly record struct PrefillSample(long PromptTokens, double Seconds);

/// <summary>One measured decode iteration (one output token for every sequence in the batch).</summary>
/// <param name="BatchSize">Sequences decoded together.</param>
/// <param name="ContextTokens">Total KV context in the batch (prompt plus tokens generated so far, summed).</param>
/// <param name="Seconds">Measured time of one iteration in seconds.</param>
public readonly record struct DecodeSample(int BatchSize, long ContextTokens, double Seconds);

/// <summary>How well a fitted curve reproduces its samples.</summary>
/// <param name="MeanRelative">Mean of |predicted − measured| / measured over the samples.</param>
/// <param name="MaxRelative">Largest such relative error.</param>
/// <param name="Samples">Number of samples fitted.</param>
public sealed record LatencyFitError(double MeanRelative, double MaxRelative, int Samples)
{
    /// <inheritdoc />
    public override string ToString() => $"mean {MeanRelative:P1}, max {MaxRelative:P1} over {Samples} samples";
}
