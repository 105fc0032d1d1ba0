namespace SageServe.Planning.Planner;

/// <summary>Interactive load of a model from a home region served in a region during one hour.</summary>
/// <param name="Model">Model.</param>
/// <param name="FromRegion">Home region of the traffic.</param>
/// <param name="ToRegion">Region serving it (equal to <paramref name="FromRegion"/> for load kept at home).</param>
/// <param name="Hour">Planned hour (1-based).</param>
/// <param name="Load">Load served there, in the problem's unit.</param>
/// <param name="Fraction">Share of the home region's forecast load, for the router's weights.</param>
public sealed record RoutedLoad(string Model, string FromRegion, string ToRegion, int Hour, double Load, double Fraction);
