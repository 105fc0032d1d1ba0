namespace SageServe.Client;

/// <summary>Where the silos are and how hard to try. Validated by <see cref="Validate"/> (called by the client).</summary>
public sealed class SageServeClientOptions
{
    /// <summary>Silo base addresses, in preference order (at least one).</summary>
    public IList<Uri> Endpoints { get; set; } = [];

    /// <summary>Total time one logical call may take, retries included. Default 5 s.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time one attempt may take before the next endpoint is tried. Default 2 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most attempts per logical call (first try included). Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Delay before the first retry of an endpoint already tried in this call; doubles each retry. Default 50 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest backoff. Default 1 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HTTP version to request (1.1 default; 2.0 for silos started with <c>--protocols Http2</c>).</summary>
    public Version HttpVersion { get; set; } = System.Net.HttpVersion.Version11;

    /// <summary>Clock for deadlines and backoff (the system clock by default; tests may pass a fake).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
        {
            throw new ArgumentException("SageServeClientOptions.Endpoints must list at least one silo address.");
        }

        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null || !endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"SageServeClientOptions.Endpoints: '{endpoint}' is not an absolute http(s) URI.");
            }
        }

        if (Deadline <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SageServeClientOptions.Deadline must be > 0 (got {Deadline}).");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SageServeClientOptions.AttemptTimeout must be > 0 (got {AttemptTimeout}).");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"SageServeClientOptions.MaxAttempts must be ≥ 1 (got {MaxAttempts}).");
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException($"SageServeClientOptions: need 0 ≤ InitialBackoff ≤ MaxBackoff (got {InitialBackoff}, {MaxBackoff}).");
        }
    }
}
