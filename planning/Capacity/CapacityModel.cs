using System.Globalization;

namespace SageServe.Planning.Capacity;

/// <summary>
/// Aladdin-style capacity of ONE model instance: the largest request rate it sustains while keeping the TTFT
/// quantile and the mean time between tokens within an SLO, derived from its <see cref="LatencyModel"/>, its KV
/// capacity and the workload's request sizes. The planner sizes endpoints with it.
/// </summary>
/// <remarks>
/// The approximation, for a batch of B running sequences (continuous batching, prefill preempts decode):
/// <list type="bullet">
/// <item>one decode iteration takes iter(B) = d + e·B + f·B·ctx, where ctx is the mean context of a running
/// sequence (prompt + half its output, weighted by output length because long outputs stay in the batch longer);</item>
/// <item>while a sequence emits its O tokens the B − 1 others finish and are replaced, so about B prefills of mean
/// length E[S] stall it: a cycle lasts O·iter(B) + B·E[S], the mean TBT is cycle / O, and the instance completes
/// B requests per cycle, λ_dec(B) = B / cycle;</item>
/// <item>the batch must fit: B × (prompt + output) ≤ KV capacity tokens (each sequence reserves its final length);</item>
/// <item>a new request waits for the running iteration (≤ iter(B)) and for queued prefills, modelled as an M/G/1
/// queue of prefills with ρ = λ·E[S], mean wait W = λ·E[S²] / (2(1 − ρ)) and the tail P(wait &gt; w) ≈ ρ·exp(−ρw/W)
/// (exact for M/M/1); its q-quantile plus iter(B) must fit in the smallest shape's slack base + (k − 1)·prefill.</item>
/// </list>
/// The capacity is the maximum over B of min(λ_dec(B), largest λ meeting the TTFT quantile). It is a planning
/// estimate, deliberately conservative (full KV reservation, a full iteration of waiting), not a simulator.
/// </remarks>
public sealed class CapacityModel
{
    // Bigger batches than this are not realistic for one instance and would only make the search slow.
    private const int MaxBatchSearched = 1 << 16;

    // Loads within this relative distance above a multiple of the capacity still round down (floating-point noise).
    private const double RoundingTolerance = 1e-9;

    /// <summary>Computes the capacity of one instance.</summary>
    /// <param name="latency">The instance's latency model (model, SKU, tensor parallelism).</param>
    /// <param name="kvCapacityTokens">KV-cache tokens the instance holds (see <see cref="ModelProfile.KvCapacityTokens"/>).</param>
    /// <param name="workload">Request sizes to size for.</param>
    /// <param name="options">The SLO; <see cref="CapacityModelOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The KV capacity is negative or an option is out of range.</exception>
    public CapacityModel(LatencyModel latency, long kvCapacityTokens, CapacityModelWorkload workload, CapacityModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentOutOfRangeException.ThrowIfNegative(kvCapacityTokens);
        Options = options ?? CapacityModelOptions.Default;
        Options.Validate();
        Latency = latency;
        KvCapacityTokens = kvCapacityTokens;
        Workload = workload;

        var probabilities = workload.Probabilities.ToArray();
        double meanPrefill = 0, meanPrefillSquared = 0, minPrefill = double.PositiveInfinity;
        double outputWeightedContext = 0, outputWeightedFootprint = 0;
        for (var k = 0; k < probabilities.Length; k++)
        {
            var shape = workload.Shapes[k];
            var prefill = latency.PrefillSeconds(shape.PromptTokens);
            meanPrefill += probabilities[k] * prefill;
            meanPrefillSquared += probabilities[k] * prefill * prefill;
            minPrefill = Math.Min(minPrefill, prefill);
            outputWeightedContext += probabilities[k] * shape.OutputTokens * (shape.PromptTokens + (shape.OutputTokens / 2.0));
            outputWeightedFootprint += probabilities[k] * shape.OutputTokens * (shape.PromptTokens + (double)shape.OutputTokens);
        }

        var meanOutput = workload.MeanOutputTokens;
        MeanContextTokens = outputWeightedContext / meanOutput;
        var footprintTokens = outputWeightedFootprint / meanOutput;
        var ttftSlackSeconds = Options.TtftBase.TotalSeconds + ((Options.TtftPrefillMultiple - 1.0) * minPrefill);

        var tbtBound = MaxBatchByTbt(latency, Options.MeanTbt.TotalSeconds, MeanContextTokens, meanPrefill, meanOutput);
        var kvBound = Math.Min(MaxBatchSearched, Math.Floor(kvCapacityTokens / footprintTokens));
        var maxBatch = (int)Math.Min(tbtBound, kvBound);

        Limit = CapacityModelLimit.Infeasible;
        for (var batch = 1; batch <= maxBatch; batch++)
        {
            var iteration = latency.DecodeIterationSeconds(batch, 0) + (latency.DecodeSecondsPerContextToken * batch * MeanContextTokens);
            var cycle = (meanOutput * iteration) + (batch * meanPrefill);
            var decodeRate = batch / cycle;
            var ttftRate = MaxRateForTtft(ttftSlackSeconds - iteration, meanPrefill, meanPrefillSquared, Options.TtftQuantile, decodeRate);
            var rate = Math.Min(decodeRate, ttftRate);
            if (rate > MaxRequestsPerSecond)
            {
                MaxRequestsPerSecond = rate;
                MaxBatchSize = batch;
                IterationTime = TimeSpan.FromSeconds(iteration);
                MeanTbt = TimeSpan.FromSeconds(cycle / meanOutput);
                Limit = ttftRate < decodeRate ? CapacityModelLimit.Ttft
                    : batch == maxBatch && kvBound <= tbtBound ? CapacityModelLimit.KvCache
                    : CapacityModelLimit.MeanTbt;
            }
        }

        MaxPromptTokensPerSecond = MaxRequestsPerSecond * workload.MeanPromptTokens;
    }

    /// <summary>The latency model the capacity was derived from.</summary>
    public LatencyModel Latency { get; }

    /// <summary>KV-cache tokens of one instance.</summary>
    public long KvCapacityTokens { get; }

    /// <summary>The request sizes sized for.</summary>
    public CapacityModelWorkload Workload { get; }

    /// <summary>The SLO sized against.</summary>
    public CapacityModelOptions Options { get; }

    /// <summary>Mean context tokens of a running sequence (output-weighted prompt + half the output).</summary>
    public double MeanContextTokens { get; }

    /// <summary>The batch size that maximises the sustainable rate; 0 when infeasible.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Duration of one decode iteration at <see cref="MaxBatchSize"/>.</summary>
    public TimeSpan IterationTime { get; }

    /// <summary>Predicted mean time between tokens (iterations plus prefill stalls) at <see cref="MaxBatchSize"/>.</summary>
    public TimeSpan MeanTbt { get; }

    /// <summary>What bounds the capacity.</summary>
    public CapacityModelLimit Limit { get; }

    /// <summary>Largest sustainable request rate of one instance within the SLO; 0 when infeasible.</summary>
    public double MaxRequestsPerSecond { get; }

    /// <summary><see cref="MaxRequestsPerSecond"/> × mean prompt tokens: the planner's capacity unit.</summary>
    public double MaxPromptTokensPerSecond { get; }

    /// <summary>Fewest instances that serve <paramref name="requestsPerSecond"/> within the SLO (0 for no load).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The load is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">There is load but no batch size meets the SLO on this instance.</exception>
    public int MinInstances(double requestsPerSecond) => MinInstances(requestsPerSecond, MaxRequestsPerSecond, "requests/s");

    /// <summary>Fewest instances that serve <paramref name="promptTokensPerSecond"/> within the SLO (0 for no load).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The load is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">There is load but no batch size meets the SLO on this instance.</exception>
    public int MinInstancesForPromptTokens(double promptTokensPerSecond) =>
        MinInstances(promptTokensPerSecond, MaxPromptTokensPerSecond, "prompt tokens/s");

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Latency.Model}/{Latency.Sku}/tp{Latency.TensorParallel}: {MaxRequestsPerSecond:G4} req/s = {MaxPromptTokensPerSecond:G4} prompt tok/s " +
        $"at batch {MaxBatchSize} (iteration {IterationTime.TotalMilliseconds:F1} ms, mean TBT {MeanTbt.TotalMilliseconds:F1} ms, limited by {Limit})");

    private int MinInstances(double load, double capacity, string unit)
    {
        if (!(load >= 0.0) || double.IsInfinity(load))
        {
            throw new ArgumentOutOfRangeException(nameof(load), load, $"load must be a finite number >= 0 {unit}");
        }

        if (load == 0.0)
        {
            return 0;
        }

        if (capacity <= 0.0)
        {
            throw new InvalidOperationException(
                $"{Latency.Model}/{Latency.Sku}/tp{Latency.TensorParallel} cannot meet the SLO at any batch size " +
                $"(KV capacity {KvCapacityTokens} tokens, mean TBT bound {Options.MeanTbt.TotalMilliseconds} ms); it cannot serve {load} {unit}");
        }

        var ratio = load / capacity;
        return (int)Math.Ceiling(ratio - (RoundingTolerance * Math.Max(1.0, ratio)));
    }

    private static double MaxBatchByTbt(LatencyModel latency, double tbtSeconds, double meanContext, double meanPrefill, double meanOutput)
    {
        // mean TBT(B) = d + B·(e + f·ctx + E[S]/O) is linear in B.
        var headroom = tbtSeconds - latency.DecodeFixedSeconds;
        var perSequence = latency.DecodeSecondsPerSequence + (latency.DecodeSecondsPerContextToken * meanContext) + (meanPrefill / meanOutput);
        if (headroom <= 0.0)
        {
            return 0;
        }

        return perSequence <= 0.0 ? MaxBatchSearched : Math.Min(MaxBatchSearched, Math.Floor((headroom / perSequence) + 1e-12));
    }

    private static double MaxRateForTtft(double waitBudgetSeconds, double meanPrefill, double meanPrefillSquared, double quantile, double upperRate)
    {
        if (waitBudgetSeconds < 0.0)
        {
            return 0.0;
        }

        // The wait quantile grows with λ, so bisect on λ below both the decode rate and prefill saturation.
        var high = Math.Min(upperRate, meanPrefill > 0.0 ? (1.0 - 1e-9) / meanPrefill : upperRate);
        if (WaitQuantile(high, meanPrefill, meanPrefillSquared, quantile) <= waitBudgetSeconds)
        {
            return high;
        }

        var low = 0.0;
        for (var step = 0; step < 100 && high - low > 1e-12 * high; step++)
        {
            var mid = 0.5 * (low + high);
            if (WaitQuantile(mid, meanPrefill, meanPrefillSquared, quantile) <= waitBudgetSeconds)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The <paramref name="quantile"/> of the M/G/1 prefill queueing delay at arrival rate <paramref name="rate"/>.</summary>
    internal static double WaitQuantile(double rate, double meanPrefill, double meanPrefillSquared, double quantile)
    {
        var busy = rate * meanPrefill;
        if (busy >= 1.0)
        {
            return double.PositiveInfinity;
        }

        var tail = 1.0 - quantile;
        if (busy <= tail || busy == 0.0)
        {
            return 0.0; // the arrival finds the prefill queue empty with probability ≥ quantile
        }

        var meanWait = rate * meanPrefillSquared / (2.0 * (1.0 - busy));
        return meanWait / busy * Math.Log(busy / tail);
    }
}
