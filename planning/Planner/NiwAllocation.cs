namespace SageServe.Planning.Planner;

/// <summary>Capacity set aside for non-interactive work of a model in a region during one hour.</summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Region.</param>
/// <param name="Hour">Planned hour (1-based).</param>
/// <param name="Load">NIW load served, in the problem's unit (load-hours served in that hour).</param>
public sealed record NiwAllocation(string Model, string Region, int Hour, double Load);
