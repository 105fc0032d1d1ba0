using System.Net;

namespace SageServe.Runtime.Storage.Azure;

/// <summary>A blob-service request failed; carries what is needed to act on it.</summary>
public sealed class AzureBlobRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AzureBlobRequestException(string message, HttpStatusCode? statusCode, string? errorCode, string? container, string? blobName, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Container = container;
        BlobName = blobName;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public AzureBlobRequestException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AzureBlobRequestException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates an empty exception.</summary>
    public AzureBlobRequestException() { }

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived (connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The service's error code (<c>x-ms-error-code</c>, e.g. <c>AuthorizationFailure</c>), if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>The container the request addressed.</summary>
    public string? Container { get; }

    /// <summary>The blob the request addressed, or <see langword="null"/> for container-level requests.</summary>
    public string? BlobName { get; }
}
