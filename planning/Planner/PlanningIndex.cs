namespace SageServe.Planning.Planner;

/// <summary>
/// A <see cref="PlanningProblem"/> validated and turned into dense arrays: models i, regions j, configurations c
/// (each belongs to one model), hours t = 0..H−1 for planned hours 1..H.
/// </summary>
internal sealed class PlanningIndex
{
    public PlanningIndex(PlanningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
        Models = [.. problem.Models];
        Regions = [.. problem.Regions];
        Configs = [.. problem.Configurations];
        Hours = problem.Hours;
        if (Hours < 1)
        {
            throw new ArgumentException($"PlanningProblem.Hours must be >= 1, got {Hours}", nameof(problem));
        }

        if (problem.FloorPerEndpoint < 0 || problem.MaxChangesPerHour < 0 || !(problem.ChangePenaltyUsd >= 0))
        {
            throw new ArgumentException("PlanningProblem: FloorPerEndpoint, MaxChangesPerHour and ChangePenaltyUsd must be >= 0", nameof(problem));
        }

        var modelIndex = IndexOf(Models, "model");
        var regionIndex = IndexOf(Regions, "region");
        ModelOf = new int[Configs.Length];
        var byModel = Models.Select(_ => new List<int>()).ToArray();
        for (var c = 0; c < Configs.Length; c++)
        {
            var config = Configs[c];
            ModelOf[c] = Lookup(modelIndex, config.Model, $"Configurations[{c}].Model");
            if (!(config.CapacityPerInstance > 0) || !(config.UsdPerHour >= 0) || !(config.StartupUsd >= 0) || config.Gpus < 0
                || double.IsInfinity(config.CapacityPerInstance) || double.IsInfinity(config.UsdPerHour) || double.IsInfinity(config.StartupUsd))
            {
                throw new ArgumentException($"Configurations[{c}] ({config}): need a finite capacity > 0, finite costs >= 0 and Gpus >= 0", nameof(problem));
            }

            byModel[ModelOf[c]].Add(c);
        }

        ConfigsOf = [.. byModel.Select(l => l.ToArray())];
        for (var i = 0; i < Models.Length; i++)
        {
            if (ConfigsOf[i].Length == 0)
            {
                throw new ArgumentException($"model '{Models[i]}' has no deployment configuration", nameof(problem));
            }
        }

        Demand = new double[Models.Length, Regions.Length, Hours];
        foreach (var (load, k) in problem.InteractiveLoad.Select((l, k) => (l, k)))
        {
            var where = $"InteractiveLoad[{k}]";
            CheckHour(load.Hour, where);
            CheckAmount(load.Load, where);
            Demand[Lookup(modelIndex, load.Model, where), Lookup(regionIndex, load.Region, where), load.Hour - 1] += load.Load;
        }

        // Cumulative NIW due by the end of each hour, and the total queued.
        NiwDueBy = new double[Models.Length, Regions.Length, Hours];
        NiwTotal = new double[Models.Length, Regions.Length];
        foreach (var (backlog, k) in problem.NiwBacklog.Select((b, k) => (b, k)))
        {
            var where = $"NiwBacklog[{k}]";
            CheckAmount(backlog.LoadHours, where);
            var i = Lookup(modelIndex, backlog.Model, where);
            var j = Lookup(regionIndex, backlog.Region, where);
            NiwTotal[i, j] += backlog.LoadHours;
            for (var t = Math.Max(0, backlog.DueHour - 1); t < Hours; t++)
            {
                NiwDueBy[i, j, t] += backlog.LoadHours;
            }
        }

        CurrentCount = new int[Regions.Length, Configs.Length];
        foreach (var (current, k) in problem.Current.Select((c, k) => (c, k)))
        {
            var where = $"Current[{k}]";
            var i = Lookup(modelIndex, current.Model, where);
            var j = Lookup(regionIndex, current.Region, where);
            var c = ConfigsOf[i].FirstOrDefault(c => Configs[c].Sku == current.Sku && Configs[c].TensorParallel == current.TensorParallel, -1);
            if (c < 0 || current.Count < 0)
            {
                throw new ArgumentException($"{where} ({current}): no configuration {current.Sku}/tp{current.TensorParallel} for model '{current.Model}', or a negative count", nameof(problem));
            }

            CurrentCount[j, c] += current.Count;
        }

        Quota = new Dictionary<(int Region, string Sku), int>();
        foreach (var (quota, k) in problem.Quotas.Select((q, k) => (q, k)))
        {
            var key = (Lookup(regionIndex, quota.Region, $"Quotas[{k}]"), quota.Sku);
            if (quota.Gpus < 0 || !Quota.TryAdd(key, quota.Gpus))
            {
                throw new ArgumentException($"Quotas[{k}] ({quota}): negative, or a second quota for the same region and SKU", nameof(problem));
            }
        }

        // Routes out of each home region; the home region itself first, free.
        var routes = Regions.Select((_, j) => new List<(int To, double Penalty)> { (j, 0.0) }).ToArray();
        foreach (var (link, k) in problem.Routes.Select((l, k) => (l, k)))
        {
            var from = Lookup(regionIndex, link.FromRegion, $"Routes[{k}].FromRegion");
            var to = Lookup(regionIndex, link.ToRegion, $"Routes[{k}].ToRegion");
            CheckAmount(link.UsdPerLoadHour, $"Routes[{k}]");
            if (from != to && routes[from].All(r => r.To != to))
            {
                routes[from].Add((to, link.UsdPerLoadHour));
            }
        }

        RoutesFrom = [.. routes.Select(l => l.ToArray())];
    }

    public PlanningProblem Problem { get; }

    public string[] Models { get; }

    public string[] Regions { get; }

    public DeploymentConfiguration[] Configs { get; }

    public int Hours { get; }

    public int[] ModelOf { get; }

    public int[][] ConfigsOf { get; }

    /// <summary>[i, home j, t] interactive load.</summary>
    public double[,,] Demand { get; }

    /// <summary>[i, j, t] NIW work due by the end of hour t (cumulative).</summary>
    public double[,,] NiwDueBy { get; }

    public double[,] NiwTotal { get; }

    /// <summary>[j, c] instances now.</summary>
    public int[,] CurrentCount { get; }

    public Dictionary<(int Region, string Sku), int> Quota { get; }

    /// <summary>Per-hour GPU allotments replacing <see cref="Quota"/>'s rows (a decomposed model's share); null = none.</summary>
    public Dictionary<(int Region, string Sku, int Hour), int>? HourlyQuota { get; set; }

    /// <summary>Per home region, the serving regions (itself first) and the penalty per load-hour.</summary>
    public (int To, double Penalty)[][] RoutesFrom { get; }

    public string Endpoint(int i, int j) => $"{Models[i]}@{Regions[j]}";

    public string Describe(int j, int c) => $"{Configs[c].Model}@{Regions[j]} {Configs[c].Label}";

    private static Dictionary<string, int> IndexOf(string[] names, string what)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < names.Length; k++)
        {
            if (!index.TryAdd(names[k], k))
            {
                throw new ArgumentException($"duplicate {what} name '{names[k]}'");
            }
        }

        return index;
    }

    private static int Lookup(Dictionary<string, int> index, string name, string where) =>
        index.TryGetValue(name, out var k) ? k : throw new ArgumentException($"{where}: unknown name '{name}'");

    private void CheckHour(int hour, string where)
    {
        if (hour < 1 || hour > Hours)
        {
            throw new ArgumentException($"{where}: hour {hour} is outside the horizon 1..{Hours}");
        }
    }

    private static void CheckAmount(double value, string where)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{where}: amount must be a finite number >= 0, got {value}");
        }
    }
}
