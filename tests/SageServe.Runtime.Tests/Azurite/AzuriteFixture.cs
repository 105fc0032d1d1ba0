using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SageServe.Runtime.Storage.Azure;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Azurite;

/// <summary>
/// Runs a real Azurite blob service on a free loopback port for the duration of a test collection, with its data in
/// a temporary directory that is deleted afterwards.
/// </summary>
/// <remarks>
/// The executable comes from <c>SAGESERVE_AZURITE</c> (scripts/test.sh points it at .tools/node_modules/.bin/azurite;
/// the sibling <c>azurite-blob</c> is preferred), else <c>{repo}/.tools/node_modules/.bin/</c>, else PATH. When Node
/// or Azurite is missing the tests that need it are skipped loudly, except under <c>CI=true</c>, where they fail.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const int MaxReadinessPolls = 150;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _dataDirectory;

    /// <summary>The blob endpoint (path-style, account included), once started.</summary>
    public Uri? BlobEndpoint { get; private set; }

    /// <summary>A connection string for the well-known dev account at <see cref="BlobEndpoint"/>.</summary>
    public string ConnectionString => AzureStorageConnectionString.ForAzurite(BlobEndpoint ?? throw new InvalidOperationException(UnavailableReason));

    /// <summary>Why Azurite is not running, or <see langword="null"/> when it is.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>How long startup took (process start to port accepting connections).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Returns when Azurite runs. Otherwise fails the test under <c>CI=true</c>, and skips it (loudly) elsewhere.
    /// </summary>
    public void RequireAvailable(ITestOutputHelper output)
    {
        if (UnavailableReason is null)
        {
            return;
        }

        var message = $"AZURITE UNAVAILABLE: {UnavailableReason}. Run scripts/setup.sh (needs node + npm) to install it.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(message + " CI=true, so this is a failure, not a skip.");
        }

        output.WriteLine(new string('!', 100));
        output.WriteLine("!!! SKIPPED: " + message);
        output.WriteLine(new string('!', 100));
        Console.Error.WriteLine("!!! SKIPPED Azure Blob test: " + message);
        Skip.If(true, message);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var (executable, reason) = FindExecutable();
        if (executable is null)
        {
            UnavailableReason = reason;
            return;
        }

        if (FindOnPath("node") is null)
        {
            UnavailableReason = $"node is not on PATH (needed to run {executable})";
            return;
        }

        _dataDirectory = Path.Combine(Path.GetTempPath(), "sageserve-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _dataDirectory, "--silent", "--skipApiVersionCheck", "--loose" })
        {
            start.ArgumentList.Add(arg);
        }

        if (Path.GetFileName(executable) != "azurite-blob")
        {
            // The all-services launcher also opens queue and table ports; keep them off the defaults.
            foreach (var arg in new[] { "--queueHost", "127.0.0.1", "--queuePort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--tableHost", "127.0.0.1", "--tablePort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            await WaitUntilListeningAsync(executable, port, stopwatch);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialisation failed; do not leave Azurite behind.
            await DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(string executable, int port, Stopwatch stopwatch)
    {
        var process = _process!;
        for (var attempt = 0; attempt < MaxReadinessPolls; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite ({executable}) exited with code {process.ExitCode} before listening on port {port}. Output:\n{Output()}");
            }

            if (await AcceptsConnectionsAsync(port))
            {
                StartupTime = stopwatch.Elapsed;
                BlobEndpoint = new Uri($"http://127.0.0.1:{port}/{AzureStorageConnectionString.DevelopmentAccountName}");
                return;
            }

            await Task.Delay(s_pollInterval);
        }

        throw new InvalidOperationException($"Azurite ({executable}) did not accept connections on 127.0.0.1:{port} after {MaxReadinessPolls} polls. Output:\n{Output()}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }

            _process.Dispose();
            _process = null;
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (string? Path, string Reason) FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("SAGESERVE_AZURITE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                return (null, $"SAGESERVE_AZURITE is '{configured}', which does not exist");
            }

            var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configured))!, "azurite-blob");
            return (File.Exists(sibling) ? sibling : configured, string.Empty);
        }

        var repo = FindRepoRoot();
        if (repo is not null)
        {
            var local = Path.Combine(repo, ".tools", "node_modules", ".bin", "azurite-blob");
            if (File.Exists(local))
            {
                return (local, string.Empty);
            }
        }

        var onPath = FindOnPath("azurite-blob") ?? FindOnPath("azurite");
        return onPath is not null
            ? (onPath, string.Empty)
            : (null, $"azurite-blob not found (SAGESERVE_AZURITE unset, nothing in {repo ?? "<repo>"}/.tools/node_modules/.bin, nothing on PATH)");
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SageServe.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
