using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SageServe.Silo.Tests.Api;

/// <summary>A running <c>sageserve silo</c> process (the real executable), stopped with SIGTERM.</summary>
internal sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private Uri? _address;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process)
    {
        _process = process;
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Process Process => _process;

    [GeneratedRegex(@"listening on (http://\S+?)/?(,|\s|$)")]
    private static partial Regex Listening();

    /// <summary>Starts the silo and waits (bounded) until it has printed its start-up lines.</summary>
    public static Task<(SiloProcess Silo, Uri Address)> StartAsync(string workingDirectory, params string[] args) =>
        StartAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts the silo with extra environment variables.</summary>
    public static async Task<(SiloProcess Silo, Uri Address)> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sageserve.dll"));
        start.ArgumentList.Add("silo");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (silo._stdout)
            {
                silo._stdout.AppendLine(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } m)
            {
                silo._address = new Uri(m.Groups[1].Value + "/");
            }

            // The last start-up line: everything before it (address, dashboard link) has been printed.
            if (e.Data.Contains("Ctrl-C to stop", StringComparison.Ordinal) && silo._address is { } address)
            {
                silo._listening.TrySetResult(address);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (silo._stderr)
                {
                    silo._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Exited += (_, _) => silo._listening.TrySetException(new InvalidOperationException("sageserve silo exited before listening: " + silo.Stderr));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await silo._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return (silo, address);
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
