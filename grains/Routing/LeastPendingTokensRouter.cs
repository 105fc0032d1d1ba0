namespace SageServe.Grains.Routing;

/// <summary>
/// Join-the-shortest-queue on pending tokens (the reference policy): the instance with the fewest prompt + output
/// tokens routed to it and not yet completed. Ties go to the lowest index, so the choice is deterministic.
/// </summary>
public static class LeastPendingTokensRouter
{
    /// <summary>The index of the least-loaded instance, or -1 when there is none.</summary>
    public static int Choose(ReadOnlySpan<long> pendingTokens)
    {
        var best = -1;
        var bestLoad = long.MaxValue;
        for (var i = 0; i < pendingTokens.Length; i++)
        {
            if (pendingTokens[i] < bestLoad)
            {
                best = i;
                bestLoad = pendingTokens[i];
            }
        }

        return best;
    }
}
