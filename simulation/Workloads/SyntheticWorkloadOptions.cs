using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>One region of the synthetic workload.</summary>
/// <param name="Region">Region id.</param>
/// <param name="UtcOffset">Local time minus UTC (fixed; daylight saving is ignored).</param>
/// <param name="Share">Share of all requests homed here (regional imbalance).</param>
/// <param name="Preference">Spill-over order after the home region (nearest first).</param>
public sealed record SyntheticRegion(RegionId Region, TimeSpan UtcOffset, double Share, ImmutableArray<RegionId> Preference);

/// <summary>
/// Parameters of <see cref="SyntheticWorkloadGenerator"/>. Defaults reproduce the reference setup's shape: about
/// 1.5M requests on a weekday over 3 US regions and 4 models, 14% NIW.
/// </summary>
public sealed record SyntheticWorkloadOptions
{
    /// <summary>Seed of every random choice (default 1).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Expected requests on a weekday before bursts, all regions, models and tiers (default 1,500,000).</summary>
    public double RequestsPerDay { get; init; } = 1_500_000;

    /// <summary>Length of the workload (default 1 day). Rounded up to whole minutes.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Day of week of UTC midnight at the start (default Tuesday, so every region starts on a weekday).</summary>
    public DayOfWeek StartDay { get; init; } = DayOfWeek.Tuesday;

    /// <summary>Share of requests that are non-interactive (default 0.14).</summary>
    public double NonInteractiveShare { get; init; } = 0.14;

    /// <summary>Deadline given to NIW requests (default 12 h).</summary>
    public TimeSpan NonInteractiveDeadline { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Weekend volume relative to a weekday for IW (default 0.55: office traffic drops).</summary>
    public double InteractiveWeekendFactor { get; init; } = 0.55;

    /// <summary>Weekend volume relative to a weekday for NIW (default 0.9: batch jobs keep running).</summary>
    public double NonInteractiveWeekendFactor { get; init; } = 0.9;

    /// <summary>
    /// Regions (default westus UTC−8 45%, centralus UTC−6 20%, eastus UTC−5 35%). A region's index is its digit in
    /// the SageServe trace's <c>regions</c> column.
    /// </summary>
    public ImmutableArray<SyntheticRegion> Regions { get; init; } = DefaultRegions;

    /// <summary>Models with their popularity (default A 45%, B 10%, C 30%, D 15%).</summary>
    public ImmutableArray<(ModelId Model, double Share)> Models { get; init; } =
        [(new ModelId("A"), 0.45), (new ModelId("B"), 0.10), (new ModelId("C"), 0.30), (new ModelId("D"), 0.15)];

    /// <summary>IW volume by local hour (24 relative weights, normalised to mean 1): business-hours peak.</summary>
    public ImmutableArray<double> InteractiveDailyShape { get; init; } =
        [0.30, 0.25, 0.22, 0.20, 0.22, 0.30, 0.50, 0.85, 1.30, 1.65, 1.80, 1.80, 1.70, 1.75, 1.80, 1.70, 1.50, 1.20, 0.95, 0.80, 0.70, 0.60, 0.48, 0.38];

    /// <summary>NIW volume by local hour (24 relative weights, normalised to mean 1): flatter, heavier at night.</summary>
    public ImmutableArray<double> NonInteractiveDailyShape { get; init; } =
        [1.20, 1.30, 1.30, 1.25, 1.20, 1.10, 1.00, 0.90, 0.85, 0.85, 0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.95, 1.00, 1.00, 1.05, 1.10, 1.15, 1.20];

    /// <summary>
    /// Share of requests whose token lengths are drawn from the Azure code trace rather than the conversation trace
    /// (default 0: the conversation trace's mean output, 211 tokens, is the closest to the reference workload's ≈ 222;
    /// the code trace's is 28).
    /// </summary>
    public double CodeTraceShare { get; init; }

    /// <summary>
    /// Extra copies of each request in the first minute of every UTC hour (default 0; the reference burst test uses 8,
    /// giving ~9× load in that minute).
    /// </summary>
    public int BurstCopies { get; init; }

    /// <summary>The default three regions.</summary>
    public static ImmutableArray<SyntheticRegion> DefaultRegions { get; } =
    [
        new(new RegionId("westus"), TimeSpan.FromHours(-8), 0.45, [new RegionId("centralus"), new RegionId("eastus")]),
        new(new RegionId("centralus"), TimeSpan.FromHours(-6), 0.20, [new RegionId("eastus"), new RegionId("westus")]),
        new(new RegionId("eastus"), TimeSpan.FromHours(-5), 0.35, [new RegionId("centralus"), new RegionId("westus")]),
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(RequestsPerDay > 0 && double.IsFinite(RequestsPerDay), nameof(RequestsPerDay), "must be positive");
        Require(Duration > TimeSpan.Zero, nameof(Duration), "must be positive");
        Require(NonInteractiveShare is >= 0 and <= 1, nameof(NonInteractiveShare), "must be in [0, 1]");
        Require(NonInteractiveDeadline > TimeSpan.Zero, nameof(NonInteractiveDeadline), "must be positive");
        Require(InteractiveWeekendFactor >= 0 && NonInteractiveWeekendFactor >= 0, "WeekendFactor", "must be non-negative");
        Require(!Regions.IsDefaultOrEmpty && Regions.Length <= 10, nameof(Regions), "needs 1 to 10 regions");
        Require(Regions.All(r => r.Share >= 0) && Regions.Sum(r => r.Share) > 0, nameof(Regions), "shares must be non-negative and not all zero");
        Require(!Models.IsDefaultOrEmpty && Models.All(m => m.Share >= 0) && Models.Sum(m => m.Share) > 0, nameof(Models), "shares must be non-negative and not all zero");
        Require(InteractiveDailyShape.Length == 24 && InteractiveDailyShape.All(w => w >= 0) && InteractiveDailyShape.Sum() > 0, nameof(InteractiveDailyShape), "needs 24 non-negative weights");
        Require(NonInteractiveDailyShape.Length == 24 && NonInteractiveDailyShape.All(w => w >= 0) && NonInteractiveDailyShape.Sum() > 0, nameof(NonInteractiveDailyShape), "needs 24 non-negative weights");
        Require(CodeTraceShare is >= 0 and <= 1, nameof(CodeTraceShare), "must be in [0, 1]");
        Require(BurstCopies is >= 0 and <= 1000, nameof(BurstCopies), "must be in [0, 1000]");
    }

    private static void Require(bool ok, string option, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"{nameof(SyntheticWorkloadOptions)}.{option}: {problem}.", option);
        }
    }
}
