using System.Globalization;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>Writes requests as a SageServe trace CSV that <see cref="SageServeTraceReader"/> reads back unchanged.</summary>
/// <remarks>
/// Columns the request does not model get fixed values: <c>batch_id</c> = request id, <c>client_tenant</c> and
/// <c>application_id</c> = <c>synthetic</c>, <c>request_type</c> = <c>chat</c> (IW) or <c>batch</c> (NIW),
/// <c>scenario</c> = <c>sageserve</c>, <c>utility</c> = 1, <c>batch_size</c> = 1. <c>sla</c> is 10 s for IW (as in the
/// reference) and the deadline in seconds for NIW. Arrival is written in seconds with round-trip precision.
/// </remarks>
public static class SageServeTraceWriter
{
    /// <summary>Writes the header and one line per request; returns the number of requests written.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="requests">Requests in arrival order.</param>
    /// <param name="regions">Regions by digit (default as <see cref="TraceReadOptions.Regions"/>).</param>
    /// <exception cref="ArgumentException">A request names a region with no digit.</exception>
    public static long Write(TextWriter writer, IEnumerable<InferenceRequest> requests, IReadOnlyList<RegionId>? regions = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(requests);
        IReadOnlyList<RegionId> digits = regions ?? TraceReadOptions.Default.Regions;
        writer.Write(string.Join(',', SageServeTraceReader.Columns));
        writer.Write('\n');
        Span<char> number = stackalloc char[32];
        long count = 0;
        foreach (InferenceRequest r in requests)
        {
            bool niw = r.Tier == Tier.NonInteractive;
            Write(writer, r.Id, number);
            writer.Write(',');
            Write(writer, r.Id, number);
            writer.Write(niw ? ",synthetic,batch,sageserve," : ",synthetic,chat,sageserve,");
            if (niw)
            {
                writer.Write((r.Deadline ?? TimeSpan.Zero).TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.Write("10");
            }

            writer.Write(",1,");
            foreach (RegionId region in r.RegionPreference)
            {
                int digit = IndexOf(digits, region);
                if (digit is < 0 or > 9)
                {
                    throw new ArgumentException($"Request {r.Id}: region '{region}' has no digit in the SageServe trace format.", nameof(requests));
                }

                writer.Write((char)('0' + digit));
            }

            writer.Write(',');
            writer.Write(r.Model.Name);
            writer.Write(niw ? ",dev,synthetic," : ",prod,synthetic,");
            writer.Write((r.Arrival.Ticks / (double)TimeSpan.TicksPerSecond).ToString("R", CultureInfo.InvariantCulture));
            writer.Write(",1,");
            Write(writer, r.PromptTokens, number);
            writer.Write(',');
            Write(writer, r.OutputTokens, number);
            writer.Write('\n');
            count++;
        }

        return count;
    }

    private static void Write(TextWriter writer, long value, Span<char> buffer)
    {
        value.TryFormat(buffer, out int written, provider: CultureInfo.InvariantCulture);
        writer.Write(buffer[..written]);
    }

    private static int IndexOf(IReadOnlyList<RegionId> regions, RegionId region)
    {
        for (int i = 0; i < regions.Count; i++)
        {
            if (regions[i] == region)
            {
                return i;
            }
        }

        return -1;
    }
}
