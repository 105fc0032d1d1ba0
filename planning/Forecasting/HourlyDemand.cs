namespace SageServe.Planning.Forecasting;

/// <summary>The planner's input for one hour of one (model, home region) series.</summary>
/// <param name="HourIndex">0 for the hour starting now, 1 for the next, and so on.</param>
/// <param name="PointPromptTokensPerMinute">Maximum point forecast over the hour's planning window.</param>
/// <param name="UpperPromptTokensPerMinute">Maximum upper-quantile forecast over the same window.</param>
public sealed record HourlyDemand(int HourIndex, double PointPromptTokensPerMinute, double UpperPromptTokensPerMinute);
