namespace SageServe.Planning.Planner;

/// <summary>An LP solution's instance counts [j, c, t] and the cross-region routes (i, from, to, t) worth keeping.</summary>
internal sealed record PlannerNeighbourhood(double[,,] Instances, HashSet<(int Model, int From, int To, int Hour)> Routes);
