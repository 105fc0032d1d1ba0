using SageServe.Runtime.Storage.Azure;

namespace SageServe.Runtime.Tests.Storage;

public sealed class AzureStorageConnectionStringTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Parse_AccountWithDefaults_BuildsCloudEndpoint()
    {
        var parsed = AzureStorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal("myacct", parsed.AccountName);
        Assert.Equal(new Uri("https://myacct.blob.core.chinacloudapi.cn"), parsed.BlobEndpoint);
        Assert.Equal(Convert.FromBase64String(Key), parsed.AccountKey);
    }

    [Fact]
    public void Parse_NoProtocolOrSuffix_DefaultsToHttpsAndCoreWindowsNet()
    {
        var parsed = AzureStorageConnectionString.Parse($"accountname=acct2;accountkey={Key};");

        Assert.Equal(new Uri("https://acct2.blob.core.windows.net"), parsed.BlobEndpoint);
    }

    [Fact]
    public void Parse_BlobEndpoint_OverridesAndDropsTrailingSlash()
    {
        var parsed = AzureStorageConnectionString.Parse($"AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:12345/devstoreaccount1/");

        Assert.Equal("http://127.0.0.1:12345/devstoreaccount1", parsed.BlobEndpoint.ToString());
    }

    [Fact]
    public void Parse_UseDevelopmentStorage_GivesAzuriteWellKnownAccount()
    {
        var parsed = AzureStorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(Convert.FromBase64String(Key), parsed.AccountKey);
    }

    [Theory]
    [InlineData("AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=a", "AccountKey")]
    [InlineData("AccountName=a;AccountKey=not*base64!", "AccountKey")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";BlobEndpoint=not a url", "BlobEndpoint")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";BlobEndpoint=ftp://x/y", "BlobEndpoint")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";DefaultEndpointsProtocol=gopher", "DefaultEndpointsProtocol")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";EndpointSuffix=bad suffix", "EndpointSuffix")]
    [InlineData("AccountName=a-b;AccountKey=" + Key, "AccountName")]
    [InlineData("UseDevelopmentStorage=yes", "UseDevelopmentStorage")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=a;garbage;AccountKey=" + Key, "part 2")]
    public void Parse_BadField_ThrowsNamingIt(string connectionString, string field)
    {
        var ex = Assert.Throws<FormatException>(() => AzureStorageConnectionString.Parse(connectionString));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var parsed = AzureStorageConnectionString.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.DoesNotContain("Eby8", parsed.ToString(), StringComparison.Ordinal);
        Assert.Contains("acct", parsed.ToString(), StringComparison.Ordinal);
    }
}
