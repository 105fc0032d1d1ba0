namespace SageServe.Grains.Workers.Native;

/// <summary>What one engine step did.</summary>
/// <param name="Prefilled">Sequences prefilled (each emitted its first token).</param>
/// <param name="Decoded">Sequences that decoded one token.</param>
/// <param name="Completed">Sequences that finished.</param>
/// <param name="Running">Sequences running after the step.</param>
/// <param name="PrefillTokens">Prompt tokens processed.</param>
/// <param name="TokensGenerated">Output tokens emitted.</param>
/// <param name="KvRowsRead">K/V rows the decode attention read (its memory traffic).</param>
public readonly record struct NativeStepResult(int Prefilled, int Decoded, int Completed, int Running, long PrefillTokens, long TokensGenerated, long KvRowsRead);
