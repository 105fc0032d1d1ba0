using System.Globalization;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>Writes requests as an Azure LLM inference trace CSV (model, tier and regions are dropped).</summary>
public static class AzureTraceWriter
{
    /// <summary>Default wall-clock origin: midnight UTC of the day the Azure 2023 traces were recorded.</summary>
    public static DateTime DefaultOrigin { get; } = new(2023, 11, 16, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes the header and one row per request, TIMESTAMP = origin + arrival (100 ns precision).</summary>
    /// <returns>Requests written.</returns>
    public static long Write(TextWriter writer, IEnumerable<InferenceRequest> requests, DateTime? origin = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(requests);
        DateTime start = origin ?? DefaultOrigin;
        writer.Write("TIMESTAMP,ContextTokens,GeneratedTokens\n");
        Span<char> buffer = stackalloc char[64];
        long count = 0;
        foreach (InferenceRequest r in requests)
        {
            (start + r.Arrival).TryFormat(buffer, out int written, "yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            writer.Write(buffer[..written]);
            writer.Write(',');
            r.PromptTokens.TryFormat(buffer, out written, provider: CultureInfo.InvariantCulture);
            writer.Write(buffer[..written]);
            writer.Write(',');
            r.OutputTokens.TryFormat(buffer, out written, provider: CultureInfo.InvariantCulture);
            writer.Write(buffer[..written]);
            writer.Write('\n');
            count++;
        }

        return count;
    }
}
