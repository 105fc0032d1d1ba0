namespace SageServe.Runtime.Cluster;

/// <summary>One silo's vote that another silo is dead.</summary>
/// <param name="Suspecter">The silo that voted.</param>
/// <param name="Time">When it voted (the suspecter's clock).</param>
public sealed record SiloSuspicion(SiloAddress Suspecter, DateTimeOffset Time);
