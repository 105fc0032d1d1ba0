using SageServe.Planning.Planner;

namespace SageServe.Planning.Tests.Planner;

/// <summary>Small hand-checkable problems: model A, regions west/east, one a100/tp8 config of capacity 100 at 10 USD/h.</summary>
internal static class PlannerTestProblems
{
    public const double Capacity = 100;
    public const double Price = 10;

    public static DeploymentConfiguration A100(double startupUsd = 0) => new("A", "a100", 8, 8, Capacity, Price, startupUsd);

    public static PlanningProblem TwoRegions(int hours, double[] west, double[] east, int currentWest = 2, int currentEast = 2, double startupUsd = 0) => new()
    {
        Models = ["A"],
        Regions = ["west", "east"],
        Configurations = [A100(startupUsd)],
        Hours = hours,
        InteractiveLoad =
        [
            .. west.Select((load, t) => new EndpointLoad("A", "west", t + 1, load)),
            .. east.Select((load, t) => new EndpointLoad("A", "east", t + 1, load)),
        ],
        Current = [new CurrentInstances("A", "west", "a100", 8, currentWest), new CurrentInstances("A", "east", "a100", 8, currentEast)],
    };

    public static int[] Series(Plan plan, string region, int hours) =>
        [.. Enumerable.Range(1, hours).Select(h => plan.InstancesAt("A", region, h))];
}
