namespace SageServe.Grains.Domain;

/// <summary>A request a worker finished, with the instants that define its latency.</summary>
/// <param name="Request">The request.</param>
/// <param name="InstanceKey">The instance that served it.</param>
/// <param name="SubmittedAt">When the instance received it.</param>
/// <param name="FirstTokenAt">When its first output token was produced (end of prefill).</param>
/// <param name="CompletedAt">When its last output token was produced.</param>
public readonly record struct RequestCompletion(
    InferenceRequest Request,
    string InstanceKey,
    DateTimeOffset SubmittedAt,
    DateTimeOffset FirstTokenAt,
    DateTimeOffset CompletedAt)
{
    /// <summary>Mean time between output tokens after the first (zero for one-token outputs).</summary>
    public TimeSpan MeanTimeBetweenTokens =>
        Request.OutputTokens > 1 ? (CompletedAt - FirstTokenAt) / (Request.OutputTokens - 1) : TimeSpan.Zero;
}
