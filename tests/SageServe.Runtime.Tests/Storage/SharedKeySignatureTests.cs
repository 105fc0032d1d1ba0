using System.Security.Cryptography;
using System.Text;
using SageServe.Runtime.Storage.Azure;

namespace SageServe.Runtime.Tests.Storage;

/// <summary>
/// Pins the exact Shared Key string-to-sign the client produces (Azurite checks signatures too, but only accepts or
/// rejects; these say which bytes were signed).
/// </summary>
public sealed class SharedKeySignatureTests
{
    private const string Date = "Fri, 04 Mar 2022 05:06:07 GMT";
    private static readonly DateTimeOffset s_now = new(2022, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public async Task PutBlockBlobAsync_WithIfMatch_SignsStandardHeadersMsHeadersAndPath()
    {
        await using var server = new ScriptedHttpServer([], new(201, ETag: "\"0x2\""));
        using var client = CreateClient(server.BlobEndpoint);

        await client.PutBlockBlobAsync("c1c", "dir/with space", new byte[] { 1, 2 }, BlobCondition.Matches("\"0x1\""));

        var expected =
            "PUT\n\n\n2\n\napplication/octet-stream\n\n\n\"0x1\"\n\n\n\n" +
            $"x-ms-blob-type:BlockBlob\nx-ms-date:{Date}\nx-ms-version:2021-08-06\n" +
            "/devstoreaccount1/devstoreaccount1/c1c/dir/with%20space";
        var request = Assert.Single(server.Requests);
        Assert.Equal(Authorization(expected), request.Headers["Authorization"]);
    }

    [Fact]
    public async Task ListBlobsPageAsync_QueryParameters_SignedSortedAndDecoded()
    {
        await using var server = new ScriptedHttpServer([], new(500));
        using var client = CreateClient(server.BlobEndpoint);

        await Assert.ThrowsAsync<AzureBlobRequestException>(() => client.ListBlobsPageAsync("c1c", "a b/", "m1", 3));

        var expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            $"x-ms-date:{Date}\nx-ms-version:2021-08-06\n" +
            "/devstoreaccount1/devstoreaccount1/c1c\ncomp:list\nmarker:m1\nmaxresults:3\nprefix:a b/\nrestype:container";
        var request = Assert.Single(server.Requests);
        Assert.Equal(Authorization(expected), request.Headers["Authorization"]);
        Assert.Equal("/devstoreaccount1/c1c?restype=container&comp=list&prefix=a%20b%2F&marker=m1&maxresults=3", request.Path);
    }

    private static string Authorization(string stringToSign)
    {
        var key = Convert.FromBase64String(AzureStorageConnectionString.DevelopmentAccountKey);
        return "SharedKey devstoreaccount1:" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static AzureBlobRestClient CreateClient(Uri endpoint) =>
        new(
            AzureStorageConnectionString.Parse(AzureStorageConnectionString.ForAzurite(endpoint)),
            new AzureBlobRestClientOptions { MaxRetryAttempts = 0 },
            new FixedTimeProvider(s_now));

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
