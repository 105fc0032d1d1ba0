namespace SageServe.Planning.Planner;

/// <summary>
/// An allowed cross-region route for interactive load and its penalty. Serving at home is always allowed and free;
/// list only pairs whose added latency still keeps TTFT within the SLO (see <see cref="WithinSlo"/>).
/// </summary>
/// <param name="FromRegion">Home region of the traffic.</param>
/// <param name="ToRegion">Region that serves it.</param>
/// <param name="UsdPerLoadHour">Penalty (latency, egress) per load unit served there for one hour.</param>
public sealed record RoutingLink(string FromRegion, string ToRegion, double UsdPerLoadHour)
{
    /// <summary>
    /// The routes between distinct <paramref name="regions"/> whose round trip fits in <paramref name="ttftSlack"/>
    /// (the TTFT budget left after queueing and prefill), each penalised by <paramref name="usdPerLoadHourPerSecond"/>
    /// × round trip in seconds.
    /// </summary>
    /// <param name="regions">Region names.</param>
    /// <param name="roundTrip">Added latency of serving traffic of the first region in the second.</param>
    /// <param name="ttftSlack">Latency a route may add.</param>
    /// <param name="usdPerLoadHourPerSecond">Penalty per load-hour per second of added latency.</param>
    public static IReadOnlyList<RoutingLink> WithinSlo(
        IReadOnlyList<string> regions, Func<string, string, TimeSpan> roundTrip, TimeSpan ttftSlack, double usdPerLoadHourPerSecond)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(roundTrip);
        var links = new List<RoutingLink>();
        foreach (var from in regions)
        {
            foreach (var to in regions)
            {
                var added = roundTrip(from, to);
                if (from != to && added <= ttftSlack)
                {
                    links.Add(new RoutingLink(from, to, usdPerLoadHourPerSecond * added.TotalSeconds));
                }
            }
        }

        return links;
    }
}
