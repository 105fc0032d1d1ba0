namespace SageServe.Grains.Workers.Native;

/// <summary>Counters of one engine.</summary>
/// <param name="KvUtilisation">Pages held / total pages, 0..1.</param>
/// <param name="Running">Prefilled and decoding.</param>
/// <param name="Queued">Admitted, waiting for prefill.</param>
/// <param name="TokensGenerated">Output tokens since creation.</param>
/// <param name="TotalPages">KV pages in all.</param>
/// <param name="FreePages">KV pages free.</param>
/// <param name="PageSize">Tokens per page.</param>
/// <param name="Steps">Steps since creation.</param>
/// <param name="Completed">Sequences completed since creation.</param>
public readonly record struct NativeEngineStats(double KvUtilisation, int Running, int Queued, long TokensGenerated, long TotalPages, long FreePages, int PageSize, long Steps, long Completed);
