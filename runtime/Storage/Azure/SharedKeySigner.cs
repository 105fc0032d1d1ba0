using System.Security.Cryptography;
using System.Text;

namespace SageServe.Runtime.Storage.Azure;

/// <summary>
/// Signs a blob-service request with Shared Key: HMAC-SHA256, keyed by the account key, over the canonical
/// string-to-sign (verb, the standard headers, the sorted <c>x-ms-*</c> headers, then the canonical resource).
/// </summary>
internal static class SharedKeySigner
{
    /// <summary>Adds the <c>Authorization</c> header. Call after every other header and the content are set.</summary>
    public static void Sign(HttpRequestMessage request, string accountName, byte[] accountKey, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var stringToSign = BuildStringToSign(request, accountName, query);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {accountName}:{signature}");
    }

    public static string BuildStringToSign(HttpRequestMessage request, string accountName, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var contentLength = request.Content?.Headers.ContentLength ?? 0;
        var builder = new StringBuilder(256);
        builder.Append(request.Method.Method).Append('\n');
        builder.Append(ContentHeader(request, "Content-Encoding")).Append('\n');
        builder.Append(ContentHeader(request, "Content-Language")).Append('\n');

        // Since 2015-02-21 a zero length is signed as the empty string.
        builder.Append(contentLength == 0 ? string.Empty : contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        builder.Append(ContentHeader(request, "Content-MD5")).Append('\n');
        builder.Append(ContentHeader(request, "Content-Type")).Append('\n');
        builder.Append(RequestHeader(request, "Date")).Append('\n');
        builder.Append(RequestHeader(request, "If-Modified-Since")).Append('\n');
        builder.Append(RequestHeader(request, "If-Match")).Append('\n');
        builder.Append(RequestHeader(request, "If-None-Match")).Append('\n');
        builder.Append(RequestHeader(request, "If-Unmodified-Since")).Append('\n');
        builder.Append(RequestHeader(request, "Range")).Append('\n');

        var msHeaders = request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value.Select(v => v.Trim()))))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in msHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(request.RequestUri!.AbsolutePath);
        var parameters = query
            .GroupBy(p => p.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in parameters)
        {
            builder.Append('\n').Append(group.Key).Append(':')
                .Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    private static string ContentHeader(HttpRequestMessage request, string name) =>
        request.Content is not null && request.Content.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : string.Empty;

    private static string RequestHeader(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : string.Empty;
}
