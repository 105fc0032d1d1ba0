namespace SageServe.Runtime;

/// <summary>A grain timer: dispose it to stop it, or move its next tick.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>
    /// Reschedules the timer: the next tick is due after <paramref name="dueTime"/>, later ones every
    /// <paramref name="period"/> (<see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer).
    /// </summary>
    void Change(TimeSpan dueTime, TimeSpan period);

    /// <summary>
    /// Under the deterministic scheduler, whether a pending tick counts as outstanding work (keeps
    /// <c>RunUntilIdle</c> going); live, it has no effect. Change it as the grain's backlog comes and goes.
    /// </summary>
    bool KeepsSimulationAlive { get; set; }
}
