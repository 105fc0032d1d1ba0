namespace SageServe.Runtime.Execution;

/// <summary>A call in flight with a deadline; an intrusive list node so tracking allocates nothing.</summary>
internal interface ITrackedCall
{
    long DeadlineTicks { get; set; }

    ITrackedCall? PreviousTracked { get; set; }

    ITrackedCall? NextTracked { get; set; }

    bool IsTracked { get; set; }

    /// <summary>Completes the caller with a timeout (no-op if it already completed).</summary>
    void Expire();
}
