using System.Security.Cryptography;
using System.Text;

namespace SageServe.Runtime.Storage;

/// <summary>
/// Turns arbitrary strings (state names, grain types, grain keys) into names that are safe as a single file-name or
/// blob-name segment: only <c>[A-Za-z0-9_-]</c> survive; every other UTF-8 byte becomes <c>~XX</c> (upper-case hex).
/// </summary>
/// <remarks>
/// The mapping is injective, so distinct keys never share a record, and no output contains <c>/</c>, <c>\</c>,
/// <c>.</c> or <c>%</c>, so no key can climb out of its directory or be re-interpreted by a URL parser. The empty
/// string maps to <c>~</c>, which no non-empty input produces (a lone <c>~</c> is never followed by two hex digits).
/// Escaped segments longer than <see cref="MaxSegmentLength"/> are shortened to a prefix plus <c>~~</c> plus a
/// SHA-256 digest of the full escaped text; <c>~~</c> cannot appear in an unshortened segment.
/// </remarks>
public static class StorageNameEscaper
{
    /// <summary>The longest segment produced; keeps file names under the common 255-byte limit.</summary>
    public const int MaxSegmentLength = 200;

    private const int HashedPrefixLength = 120;

    /// <summary>Escapes <paramref name="value"/> into one safe name segment.</summary>
    public static string EscapeSegment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "~";
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsKept(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length <= MaxSegmentLength)
        {
            return builder.ToString();
        }

        var full = builder.ToString();
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(full)));
        return string.Concat(full.AsSpan(0, HashedPrefixLength), "~~", digest.AsSpan(0, 64));
    }

    private static bool IsKept(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'-';
}
