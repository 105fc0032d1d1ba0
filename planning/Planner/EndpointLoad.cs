namespace SageServe.Planning.Planner;

/// <summary>
/// Forecast interactive load of a model from one home region in one planned hour: the upper quantile of the peak
/// over the hour's planning window (see <see cref="Forecasting.PlannerSignal"/>), in the problem's load unit.
/// </summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Home region of the traffic.</param>
/// <param name="Hour">Planned hour, 1 = the first hour of the horizon.</param>
/// <param name="Load">Load (e.g. prompt tokens/s); entries for the same key add up.</param>
public sealed record EndpointLoad(string Model, string Region, int Hour, double Load);
