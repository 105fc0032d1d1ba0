using System.Reflection;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Joint (prompt, output) token lengths of the embedded Azure LLM inference traces 2023 (CC-BY-4.0; see
/// <c>Data/azure-llm-2023/NOTICE.md</c>). Sampling picks a recorded request uniformly, which keeps the
/// empirical marginals and their correlation exactly.
/// </summary>
public sealed class EmpiricalTokenLengths
{
    private static readonly Lazy<EmpiricalTokenLengths> s_code = new(() => LoadEmbedded("AzureLLMInferenceTrace_code.csv"));
    private static readonly Lazy<EmpiricalTokenLengths> s_conversation = new(() => LoadEmbedded("AzureLLMInferenceTrace_conv.csv"));

    private readonly int[] _prompt;
    private readonly int[] _output;

    /// <summary>Builds a sampler over the given pairs.</summary>
    public EmpiricalTokenLengths(IReadOnlyList<(int PromptTokens, int OutputTokens)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("At least one pair is required.", nameof(pairs));
        }

        _prompt = [.. pairs.Select(p => p.PromptTokens)];
        _output = [.. pairs.Select(p => p.OutputTokens)];
    }

    /// <summary>The Azure code-completion trace (8,819 requests).</summary>
    public static EmpiricalTokenLengths Code => s_code.Value;

    /// <summary>The Azure conversation trace (19,366 requests).</summary>
    public static EmpiricalTokenLengths Conversation => s_conversation.Value;

    /// <summary>Number of recorded requests.</summary>
    public int Count => _prompt.Length;

    /// <summary>Prompt lengths in file order.</summary>
    public ReadOnlySpan<int> PromptTokens => _prompt;

    /// <summary>Output lengths in file order.</summary>
    public ReadOnlySpan<int> OutputTokens => _output;

    /// <summary>Draws one recorded (prompt, output) pair.</summary>
    public (int PromptTokens, int OutputTokens) Sample(WorkloadRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int i = random.NextInt(_prompt.Length);
        return (_prompt[i], _output[i]);
    }

    private static EmpiricalTokenLengths LoadEmbedded(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SageServe.Data.azure." + name)
            ?? throw new InvalidOperationException($"Embedded trace '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var pairs = new List<(int, int)>();
        foreach (AzureTraceRow row in AzureTraceReader.ReadRows(reader, name))
        {
            pairs.Add((row.ContextTokens, row.GeneratedTokens));
        }

        return new EmpiricalTokenLengths(pairs);
    }
}
