namespace SageServe.Grains.Workers.Native;

/// <summary>Settings of <see cref="NativeWorkerDriver"/> and <see cref="NativeWorkerDriverFactory"/>.</summary>
public sealed record NativeWorkerDriverOptions
{
    /// <summary>Shape and resources of each engine.</summary>
    public NativeEngineOptions Engine { get; init; } = new();

    /// <summary>
    /// Least engine time one <see cref="NativeWorkerDriver.AdvanceTo"/> spends stepping when there is work (at least
    /// one step always runs). Keeps the engine busy even when the grain is woken often.
    /// </summary>
    public TimeSpan MinSlice { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Most engine time one call spends stepping, so a long backlog does not hold the grain's turn (and its
    /// thread) for long; the rest runs on the next wake-up.
    /// </summary>
    public TimeSpan MaxSlice { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The step time assumed before the first step is measured.</summary>
    public TimeSpan InitialStepEstimate { get; init; } = TimeSpan.FromMilliseconds(1);
}
