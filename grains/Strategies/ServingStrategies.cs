namespace SageServe.Grains.Strategies;

/// <summary>The strategies this build knows, by their SPEC §3 names (matched case-insensitively).</summary>
public static class ServingStrategies
{
    private static readonly Dictionary<string, Func<IServingStrategy>> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Siloed"] = () => new SiloedStrategy(),
        ["Reactive"] = () => new ReactiveStrategy(),
        ["Chiron"] = () => new ChironStrategy(),
        ["LT-I"] = () => new LongTermStrategy(LongTermMode.Immediate),
        ["LT-U"] = () => new LongTermStrategy(LongTermMode.Utilisation),
        ["LT-UA"] = () => new LongTermStrategy(LongTermMode.UtilisationAnomaly),
        ["SageServe+"] = () => new SageServePlusStrategy(),
    };

    /// <summary>Names in comparison order.</summary>
    public static IReadOnlyList<string> Names => ["Siloed", "Reactive", "Chiron", "LT-I", "LT-U", "LT-UA", "SageServe+"];

    /// <summary>Strategies named in SPEC §3 that this build does not run yet.</summary>
    public static IReadOnlyList<string> NotYetAvailable => [];

    /// <summary>Whether <paramref name="strategy"/> follows the hourly planner.</summary>
    public static bool UsesPlanner(IServingStrategy strategy) => strategy is LongTermStrategy or SageServePlusStrategy;

    /// <summary>The planner formulation <paramref name="strategy"/> follows.</summary>
    public static Planner.PlanningMode PlanningModeOf(IServingStrategy strategy) =>
        strategy is SageServePlusStrategy ? Planner.PlanningMode.CoOptimising : Planner.PlanningMode.Reference;

    /// <summary>Creates the strategy named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown, or not available in this build; the message lists what is.</exception>
    public static IServingStrategy Create(string name)
    {
        if (s_known.TryGetValue(name.Trim(), out var create))
        {
            return create();
        }

        throw new ArgumentException($"unknown strategy '{name}'; available: {string.Join(", ", Names)}");
    }
}
