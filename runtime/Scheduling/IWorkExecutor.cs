namespace SageServe.Runtime.Scheduling;

/// <summary>Decides where and when a <see cref="WorkQueue"/> with pending work gets drained.</summary>
public interface IWorkExecutor
{
    /// <summary>The queue has work and was idle: arrange for it to be drained once.</summary>
    void Schedule(WorkQueue queue);
}
