namespace SageServe.Simulation.Performance;

/// <summary>One profiled run, normalised to seconds and per-token decode time.</summary>
/// <param name="Source">File the row came from.</param>
/// <param name="Model">Model name as written in the file (e.g. <c>A</c>, <c>llama2-70b</c>).</param>
/// <param name="Hardware">SKU name (e.g. <c>a100-80gb</c>).</param>
/// <param name="TensorParallel">GPUs per instance.</param>
/// <param name="PromptTokens">Prompt tokens per request.</param>
/// <param name="BatchSize">Requests in the batch.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="PrefillSeconds">Prefill time of the whole batch, seconds.</param>
/// <param name="DecodeSecondsPerToken">Time of one decode iteration (one token per request), seconds.</param>
/// <param name="EndToEndSeconds">Measured end-to-end time, seconds.</param>
public sealed record PerfSample(
    string Source,
    string Model,
    string Hardware,
    int TensorParallel,
    int PromptTokens,
    int BatchSize,
    int OutputTokens,
    double PrefillSeconds,
    double DecodeSecondsPerToken,
    double EndToEndSeconds);
