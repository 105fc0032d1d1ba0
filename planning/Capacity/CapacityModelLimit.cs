namespace SageServe.Planning.Capacity;

/// <summary>What bounds an instance's sustainable rate in a <see cref="CapacityModel"/>.</summary>
public enum CapacityModelLimit
{
    /// <summary>The mean time between tokens: a bigger batch would make decode iterations (plus prefill stalls) too slow.</summary>
    MeanTbt = 0,

    /// <summary>The KV cache: a bigger batch would not fit in memory.</summary>
    KvCache = 1,

    /// <summary>TTFT: more arrivals would queue prefills past the TTFT budget at the chosen quantile.</summary>
    Ttft = 2,

    /// <summary>No batch size meets the SLO at all; the instance has zero capacity.</summary>
    Infeasible = 3,
}
