namespace SageServe.Simulation.Workloads;

/// <summary>Trace file formats the workload tools read and write. Values are explicit and append-only.</summary>
public enum TraceFormat
{
    /// <summary>The SageServe simulator's request CSV (15 columns, <c>regions</c> permutation string).</summary>
    SageServe = 0,

    /// <summary>Azure LLM inference trace 2023 CSV: <c>TIMESTAMP, ContextTokens, GeneratedTokens</c>.</summary>
    Azure = 1,

    /// <summary>Mooncake JSON lines: <c>timestamp</c> (ms), <c>input_length</c>, <c>output_length</c>.</summary>
    Mooncake = 2,
}
