using System.Globalization;

namespace SageServe.Grains.Scaling;

/// <summary>
/// Faults the simulated cloud injects, drawn from each region grain's seeded randomness (so a seed replays them
/// exactly). All zero by default.
/// </summary>
public sealed record FaultOptions
{
    /// <summary>Share of new on-demand VMs that fail to provision (discovered when they should be ready).</summary>
    public double ProvisioningFailureRate { get; init; }

    /// <summary>Rate at which the spot market takes back donated VMs, per donated VM per hour.</summary>
    public double SpotPreemptionsPerVmHour { get; init; }

    /// <summary>Rate at which serving workers crash, per instance per hour (their requests are routed again).</summary>
    public double WorkerCrashesPerInstanceHour { get; init; }

    /// <summary>Whether any fault is enabled.</summary>
    public bool Any => ProvisioningFailureRate > 0 || SpotPreemptionsPerVmHour > 0 || WorkerCrashesPerInstanceHour > 0;

    /// <summary>
    /// Parses <c>provisioning=0.1,preemption=0.05,crash=0.01</c> (any subset; empty or "none" = no faults).
    /// </summary>
    /// <exception cref="FormatException">Names the bad item.</exception>
    public static FaultOptions Parse(string? text)
    {
        var result = new FaultOptions();
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return result;
        }

        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
                double.IsNaN(value) || value < 0)
            {
                throw new FormatException($"'{item}': expected name=rate with a rate ≥ 0 (names: provisioning, preemption, crash).");
            }

            result = parts[0].ToLowerInvariant() switch
            {
                "provisioning" when value <= 1 => result with { ProvisioningFailureRate = value },
                "provisioning" => throw new FormatException($"'{item}': the provisioning failure rate is a share in [0, 1]."),
                "preemption" => result with { SpotPreemptionsPerVmHour = value },
                "crash" => result with { WorkerCrashesPerInstanceHour = value },
                _ => throw new FormatException($"'{item}': unknown fault '{parts[0]}' (names: provisioning, preemption, crash)."),
            };
        }

        return result;
    }
}
