namespace SageServe.Runtime.Storage.Azure;

/// <summary>
/// The parts of an Azure Storage connection string that the blob client needs.
/// </summary>
/// <param name="AccountName">The storage account name.</param>
/// <param name="AccountKey">The account key (decoded from base64); never printed.</param>
/// <param name="BlobEndpoint">The blob service endpoint, without a trailing slash (path-style for emulators).</param>
public sealed record AzureStorageConnectionString(string AccountName, byte[] AccountKey, Uri BlobEndpoint)
{
    /// <summary>Azurite's and the storage emulator's well-known account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known account key (public; it protects nothing).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Builds a connection string for an Azurite blob service listening on <paramref name="blobEndpoint"/>.</summary>
    public static string ForAzurite(Uri blobEndpoint)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        return $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};BlobEndpoint={blobEndpoint.ToString().TrimEnd('/')}";
    }

    /// <summary>
    /// Parses <c>Key=Value</c> pairs separated by <c>;</c> (keys case-insensitive). Understands AccountName, AccountKey,
    /// BlobEndpoint, DefaultEndpointsProtocol, EndpointSuffix and <c>UseDevelopmentStorage=true</c>; other keys are
    /// ignored.
    /// </summary>
    /// <exception cref="FormatException">A field is missing or malformed; the message names it.</exception>
    public static AzureStorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var rawPart in connectionString.Split(';'))
        {
            index++;
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Connection string: part {index} ('{Redact(part)}') is not of the form Key=Value.");
            }

            var key = part[..eq].Trim();
            if (!fields.TryAdd(key, part[(eq + 1)..].Trim()))
            {
                throw new FormatException($"Connection string: {key} is given twice.");
            }
        }

        if (fields.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!bool.TryParse(dev, out var useDev) || !useDev)
            {
                throw new FormatException($"Connection string: UseDevelopmentStorage must be 'true' (was '{dev}').");
            }

            return new AzureStorageConnectionString(
                DevelopmentAccountName,
                Convert.FromBase64String(DevelopmentAccountKey),
                new Uri($"http://127.0.0.1:10000/{DevelopmentAccountName}"));
        }

        var accountName = Required(fields, "AccountName");
        if (accountName.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            throw new FormatException($"Connection string: AccountName '{accountName}' may contain only letters and digits.");
        }

        byte[] key64;
        try
        {
            key64 = Convert.FromBase64String(Required(fields, "AccountKey"));
        }
        catch (FormatException ex)
        {
            throw new FormatException("Connection string: AccountKey is not valid base64.", ex);
        }

        if (key64.Length == 0)
        {
            throw new FormatException("Connection string: AccountKey is empty.");
        }

        Uri endpoint;
        if (fields.TryGetValue("BlobEndpoint", out var blobEndpoint))
        {
            if (!Uri.TryCreate(blobEndpoint, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new FormatException($"Connection string: BlobEndpoint '{blobEndpoint}' is not an absolute http(s) URL.");
            }

            endpoint = new Uri(parsed.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }
        else
        {
            var protocol = fields.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException($"Connection string: DefaultEndpointsProtocol must be 'http' or 'https' (was '{protocol}').");
            }

            var suffix = fields.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (suffix.Length == 0 || Uri.CheckHostName(suffix) != UriHostNameType.Dns)
            {
                throw new FormatException($"Connection string: EndpointSuffix '{suffix}' is not a DNS name.");
            }

            endpoint = new Uri($"{protocol}://{accountName}.blob.{suffix}");
        }

        return new AzureStorageConnectionString(accountName, key64, endpoint);
    }

    /// <inheritdoc />
    public override string ToString() => $"AccountName={AccountName};BlobEndpoint={BlobEndpoint}";

    private static string Required(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"Connection string: {name} is missing (or use UseDevelopmentStorage=true).");

    private static string Redact(string part) =>
        part.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) ? "AccountKey…" : part;
}
