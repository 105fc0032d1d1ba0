namespace SageServe.Planning.Capacity;

/// <summary>
/// Fitted latency model of one model instance (model, SKU, tensor parallelism), in the shape Aladdin uses:
/// prefill time = a + b·p + c·p² for p prompt tokens; one decode iteration = d + e·batch + f·contextTokens.
/// All coefficients are non-negative and in seconds (per token, per token², per sequence as named).
/// </summary>
/// <param name="Model">Model name as in the profile (e.g. <c>A</c>).</param>
/// <param name="Sku">GPU SKU name (e.g. <c>a100-80gb</c>).</param>
/// <param name="TensorParallel">GPUs one instance spans.</param>
/// <param name="PrefillFixedSeconds">a: fixed prefill overhead.</param>
/// <param name="PrefillSecondsPerToken">b: linear prefill cost per prompt token.</param>
/// <param name="PrefillSecondsPerTokenSquared">c: quadratic (attention) prefill cost.</param>
/// <param name="DecodeFixedSeconds">d: fixed cost of one decode iteration (weights read once per step).</param>
/// <param name="DecodeSecondsPerSequence">e: extra cost per sequence in the batch.</param>
/// <param name="DecodeSecondsPerContextToken">f: extra cost per KV token attended to across the batch.</param>
/// <param name="PrefillFit">Fit quality of the prefill curve.</param>
/// <param name="DecodeFit">Fit quality of the decode curve.</param>
public sealed record LatencyModel(
    string Model,
    string Sku,
    int TensorParallel,
    double PrefillFixedSeconds,
    double PrefillSecondsPerToken,
    double PrefillSecondsPerTokenSquared,
    double DecodeFixedSeconds,
    double DecodeSecondsPerSequence,
    double DecodeSecondsPerContextToken,
    LatencyFitError PrefillFit,
    LatencyFitError DecodeFit)
{
    /// <summary>Predicted prefill time in seconds for <paramref name="promptTokens"/> tokens.</summary>
    public double PrefillSeconds(long promptTokens)
    {
        double p = promptTokens;
        return PrefillFixedSeconds + (PrefillSecondsPerToken * p) + (PrefillSecondsPerTokenSquared * p * p);
    }

    /// <summary>Predicted prefill time for <paramref name="promptTokens"/> tokens.</summary>
    public TimeSpan PrefillTime(long promptTokens) => TimeSpan.FromSeconds(PrefillSeconds(promptTokens));

    /// <summary>Predicted time in seconds of one decode iteration.</summary>
    /// <param name="batchSize">Sequences in the batch.</param>
    /// <param name="contextTokens">Total KV tokens across the batch.</param>
    public double DecodeIterationSeconds(int batchSize, long contextTokens) =>
        DecodeFixedSeconds + (DecodeSecondsPerSequence * batchSize) + (DecodeSecondsPerContextToken * contextTokens);

    /// <summary>Predicted duration of one decode iteration.</summary>
    /// <param name="batchSize">Sequences in the batch.</param>
    /// <param name="contextTokens">Total KV tokens across the batch.</param>
    public TimeSpan DecodeIterationTime(int batchSize, long contextTokens) =>
        TimeSpan.FromSeconds(DecodeIterationSeconds(batchSize, contextTokens));

    /// <summary>
    /// Unloaded end-to-end latency in seconds of one request served alone: its prefill, then
    /// <paramref name="outputTokens"/> decode steps at batch 1 whose context is, on average,
    /// the prompt plus half the output.
    /// </summary>
    public double SingleRequestSeconds(int promptTokens, int outputTokens)
    {
        long meanContext = promptTokens + (outputTokens / 2);
        return PrefillSeconds(promptTokens) + (outputTokens * DecodeIterationSeconds(1, meanContext));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Model}/{Sku}/tp{TensorParallel}: prefill {PrefillFixedSeconds:G3} + {PrefillSecondsPerToken:G3}·p + {PrefillSecondsPerTokenSquared:G3}·p² s ({PrefillFit}); " +
        $"decode {DecodeFixedSeconds:G3} + {DecodeSecondsPerSequence:G3}·b + {DecodeSecondsPerContextToken:G3}·ctx s ({DecodeFit})";
}
