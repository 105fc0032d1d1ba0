namespace SageServe.Runtime.Hosting;

/// <summary>Settings of one silo. Validated when the silo is built; every error names the option.</summary>
public sealed class SiloOptions
{
    /// <summary>A name for logs. Default <c>silo</c>.</summary>
    public string Name { get; set; } = "silo";

    /// <summary>Root seed for grain randomness (<see cref="Grain"/>'s <c>Random</c>). Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Deadline of a grain call unless its method says otherwise. Default 30 s.</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An activation unused for this long is deactivated. Default 15 min; <see cref="Timeout.InfiniteTimeSpan"/>
    /// disables idle collection (simulations keep every grain for the whole run).
    /// </summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("SiloOptions.Name must not be empty.");
        }

        if (DefaultCallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SiloOptions.DefaultCallTimeout must be > 0 (got {DefaultCallTimeout}).");
        }

        if (CollectionAge <= TimeSpan.Zero && CollectionAge != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"SiloOptions.CollectionAge must be > 0 or infinite (got {CollectionAge}).");
        }

        if (CollectionQuantum <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SiloOptions.CollectionQuantum must be > 0 (got {CollectionQuantum}).");
        }
    }
}
