namespace SageServe.Planning.Planner;

/// <summary>
/// Non-interactive work queued for a model in a region that must be served by the end of <see cref="DueHour"/>.
/// </summary>
/// <param name="Model">Model.</param>
/// <param name="Region">Region whose queue holds the work (NIW is served where it is queued).</param>
/// <param name="DueHour">Last planned hour by which it must be served (1-based; ≤ 1 means now; beyond the horizon
/// means it may be served whenever capacity is free).</param>
/// <param name="LoadHours">Amount of work in load-unit × hours: with load in prompt tokens/s, prompt tokens / 3600.</param>
public sealed record NiwBacklog(string Model, string Region, int DueHour, double LoadHours);
