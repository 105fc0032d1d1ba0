namespace SageServe.Runtime.Execution;

/// <summary>One unit of work for an activation: a grain call or a timer tick.</summary>
internal abstract class Request
{
    /// <summary>The activation that runs it (set at dispatch).</summary>
    internal Activation Target = null!;

    /// <summary>The called method.</summary>
    internal CallDescriptor Descriptor = null!;

    /// <summary>The non-interleaving request the caller was running when it made this call (the call chain).</summary>
    internal Request? Parent;

    /// <summary>The <see cref="Version"/> <see cref="Parent"/> had when this call was made; a pooled parent reused since no longer counts.</summary>
    internal int ParentVersion;

    /// <summary>Incremented each time a pooled request object is reused.</summary>
    internal int Version;

    /// <summary>Whether the turn refreshes the activation's idle clock (calls do, timer ticks do not).</summary>
    internal virtual bool CountsAsActivity => true;

    /// <summary>Whether the request moves to the grain's next activation if this one goes away (timer ticks do not).</summary>
    internal virtual bool Forwardable => true;

    /// <summary>Runs the turn on the target's context; must end with <see cref="Activation.OnRequestFinished"/>.</summary>
    internal abstract void Execute(Grain grain);

    /// <summary>Fails the request without running it (deadlock, activation failure, shutdown).</summary>
    internal abstract void Reject(Exception error);

    /// <summary>Whether <paramref name="activation"/> is waiting, through this request's call chain, on this request.</summary>
    internal bool ChainContains(Activation activation)
    {
        var node = Parent;
        var version = ParentVersion;
        for (var depth = 0; node is not null && depth < 256; depth++)
        {
            if (node.Version != version)
            {
                return false; // the ancestor finished and was recycled: the chain is broken there
            }

            if (ReferenceEquals(node.Target, activation))
            {
                return true;
            }

            version = node.ParentVersion;
            node = node.Parent;
        }

        return false;
    }
}
