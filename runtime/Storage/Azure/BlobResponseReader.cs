using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace SageServe.Runtime.Storage.Azure;

/// <summary>Turns blob-service responses into results or into exceptions a user can act on.</summary>
internal static class BlobResponseReader
{
    private const string XmlContentMarker = "<";

    internal static async Task ThrowIfConditionFailedAsync(HttpResponseMessage response, string container, string blobName, BlobCondition condition, CancellationToken cancellationToken)
    {
        var errorCode = GetErrorCode(response);
        var failed = response.StatusCode == HttpStatusCode.PreconditionFailed
            || (response.StatusCode == HttpStatusCode.Conflict && errorCode == "BlobAlreadyExists")
            || (response.StatusCode == HttpStatusCode.NotFound && condition.IfMatch is not null);
        if (!failed)
        {
            return;
        }

        // The service does not say which ETag it holds, so StoredEtag stays null (unknown) here.
        var cause = await CreateErrorAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        var found = response.StatusCode == HttpStatusCode.NotFound ? "no blob" : "a different blob";
        throw new InconsistentStateException(
            $"Conditional {response.RequestMessage?.Method} of blob '{container}/{blobName}' lost ({(int)response.StatusCode} {errorCode}): expected {(condition.IfNotExists ? "no blob" : $"ETag {condition.IfMatch}")}, found {found}.",
            null,
            condition.IfMatch,
            cause);
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string container, string? blobName, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await CreateErrorAsync(response, container, blobName, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<AzureBlobRequestException> CreateErrorAsync(HttpResponseMessage response, string container, string? blobName, CancellationToken cancellationToken)
    {
        var errorCode = GetErrorCode(response);
        string? serviceMessage = null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.TrimStart().StartsWith(XmlContentMarker, StringComparison.Ordinal))
        {
            try
            {
                var error = XDocument.Parse(body).Root;
                errorCode ??= error?.Element("Code")?.Value;
                serviceMessage = error?.Element("Message")?.Value.Split('\n')[0].Trim();
            }
            catch (System.Xml.XmlException)
            {
                // A non-XML error body carries nothing more we can use.
            }
        }

        var hint = response.StatusCode == HttpStatusCode.Forbidden ? " Check AccountName and AccountKey." : string.Empty;
        return new AzureBlobRequestException(
            $"{response.RequestMessage?.Method} {Describe(container, blobName)} failed: {(int)response.StatusCode} {response.ReasonPhrase}, error code {errorCode ?? "<none>"}" +
            (serviceMessage is null ? "." : $": {serviceMessage}") + hint,
            response.StatusCode,
            errorCode,
            container,
            blobName);
    }

    internal static string? GetErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    internal static string GetETag(HttpResponseMessage response, string container, string blobName) =>
        response.Headers.TryGetValues("ETag", out var values) && values.FirstOrDefault() is { Length: > 0 } etag
            ? etag
            : throw new AzureBlobRequestException(
                $"Blob '{container}/{blobName}': the service sent no ETag ({(int)response.StatusCode}).",
                response.StatusCode,
                null,
                container,
                blobName);

    internal static BlobListPage ParseListing(string xml, string container)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(xml).Root ?? throw new System.Xml.XmlException("empty document");
        }
        catch (System.Xml.XmlException ex)
        {
            throw new AzureBlobRequestException($"Listing container '{container}': the response is not valid XML: {ex.Message}", null, null, container, null, ex);
        }

        var items = new List<BlobListItem>();
        foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            var nameElement = blob.Element("Name");
            var name = nameElement?.Value ?? string.Empty;
            if (string.Equals((string?)nameElement?.Attribute("Encoded"), "true", StringComparison.OrdinalIgnoreCase))
            {
                name = Uri.UnescapeDataString(name);
            }

            var properties = blob.Element("Properties");
            var length = long.TryParse(properties?.Element("Content-Length")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            items.Add(new BlobListItem(name, properties?.Element("Etag")?.Value ?? string.Empty, length));
        }

        var next = root.Element("NextMarker")?.Value;
        return new BlobListPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    internal static string Describe(string container, string? blobName) =>
        blobName is null ? $"container '{container}'" : $"blob '{container}/{blobName}'";
}
