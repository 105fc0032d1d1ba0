using SageServe.Planning.Capacity;

namespace SageServe.Simulation.Performance;

/// <summary>Turns normalised profile samples into one fitted <see cref="LatencyModel"/> per (model, SKU, TP).</summary>
public static class PerfModelFitter
{
    /// <summary>Prefill sample of a profiled run: the whole batch's prompt tokens in the measured prefill time.</summary>
    public static PrefillSample ToPrefill(PerfSample s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new PrefillSample((long)s.PromptTokens * s.BatchSize, s.PrefillSeconds);
    }

    /// <summary>
    /// Decode sample of a profiled run: the per-token time is an average over the run, during which each
    /// request's context grows from the prompt to prompt + output, so the mean context is prompt + output/2.
    /// </summary>
    public static DecodeSample ToDecode(PerfSample s)
    {
        ArgumentNullException.ThrowIfNull(s);
        long context = (long)s.BatchSize * (s.PromptTokens + (s.OutputTokens / 2));
        return new DecodeSample(s.BatchSize, context, s.DecodeSecondsPerToken);
    }

    /// <summary>Fits every (model, hardware, TP) group present in <paramref name="samples"/>.</summary>
    /// <remarks>
    /// Repeated runs of one configuration are averaged first, so each distinct point counts once (the
    /// 512-token prompt appears in every sweep and would otherwise dominate) and run-to-run noise does not count as fit error.
    /// Prefill is fitted on batch-1 rows only: the batched-prefill rows disagree between sources (the vLLM
    /// rows report a per-request time flat in batch size, the Splitwise rows a whole-batch time) and the model
    /// predicts one request's prefill. Decode uses every row.
    /// </remarks>
    /// <returns>Models ordered by model, hardware, TP.</returns>
    public static IReadOnlyList<LatencyModel> FitAll(IEnumerable<PerfSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples
            .GroupBy(s => (s.Model, s.Hardware, s.TensorParallel))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Hardware, StringComparer.Ordinal)
            .ThenBy(g => g.Key.TensorParallel)
            .Select(g => LatencyModelFitter.Fit(
                g.Key.Model,
                g.Key.Hardware,
                g.Key.TensorParallel,
                AveragePrefill(g.Where(s => s.BatchSize == 1).Select(ToPrefill)),
                AverageDecode(g.Select(ToDecode))))
            .ToList();
    }

    /// <summary>Averages repeated prefill measurements of the same prompt size.</summary>
    public static IReadOnlyCollection<PrefillSample> AveragePrefill(IEnumerable<PrefillSample> samples) =>
        samples.GroupBy(s => s.PromptTokens).Select(g => new PrefillSample(g.Key, g.Average(s => s.Seconds))).ToList();

    /// <summary>Averages repeated decode measurements of the same batch size and context.</summary>
    public static IReadOnlyCollection<DecodeSample> AverageDecode(IEnumerable<DecodeSample> samples) =>
        samples.GroupBy(s => (s.BatchSize, s.ContextTokens)).Select(g => new DecodeSample(g.Key.BatchSize, g.Key.ContextTokens, g.Average(s => s.Seconds))).ToList();

    /// <summary>Fits the four evaluation models (A–D) from the embedded <c>perf_model_4_models.csv</c>.</summary>
    public static IReadOnlyList<LatencyModel> FitReferenceModels() =>
        FitAll(PerfProfileLoader.LoadEmbedded("perf_model_4_models.csv"));
}
