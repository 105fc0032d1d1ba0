using System.Collections.Immutable;
using SageServe.Grains.Domain;

namespace SageServe.Simulation.Workloads;

/// <summary>
/// Seeded, streaming generator of an O365-like workload: per (region, model, tier) non-homogeneous Poisson
/// arrivals whose rate follows a daily shape in the region's local time, with weekday/weekend factors,
/// regional imbalance, an NIW share and optional hourly bursts. Token lengths come from the Azure traces.
/// </summary>
/// <remarks>
/// Per minute, the total count is Poisson with the summed rate and each request's (region, model, tier) is a
/// categorical draw weighted by the streams' rates — the same law as independent Poisson streams, at one draw
/// per minute. Arrivals within the minute are sorted uniforms built from exponential spacings, so nothing is
/// sorted and only one minute is ever held in memory.
/// </remarks>
public sealed class SyntheticWorkloadGenerator
{
    private readonly SyntheticWorkloadOptions _options;
    private readonly Category[] _categories;
    private readonly double[] _interactiveShape;
    private readonly double[] _nonInteractiveShape;

    /// <summary>Creates a generator; throws <see cref="ArgumentException"/> on invalid options.</summary>
    public SyntheticWorkloadGenerator(SyntheticWorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _interactiveShape = Normalise(options.InteractiveDailyShape);
        _nonInteractiveShape = Normalise(options.NonInteractiveDailyShape);
        double regionTotal = options.Regions.Sum(r => r.Share);
        double modelTotal = options.Models.Sum(m => m.Share);
        var categories = new List<Category>();
        foreach (SyntheticRegion region in options.Regions)
        {
            ImmutableArray<RegionId> preference = [region.Region, .. region.Preference.Where(r => r != region.Region)];
            foreach ((ModelId model, double modelShare) in options.Models)
            {
                foreach (Tier tier in new[] { Tier.Interactive, Tier.NonInteractive })
                {
                    double tierShare = tier == Tier.Interactive ? 1 - options.NonInteractiveShare : options.NonInteractiveShare;
                    double perMinute = options.RequestsPerDay / 1440 * (region.Share / regionTotal) * (modelShare / modelTotal) * tierShare;
                    categories.Add(new Category(region, model, tier, preference, perMinute));
                }
            }
        }

        _categories = [.. categories];
    }

    /// <summary>The options in effect.</summary>
    public SyntheticWorkloadOptions Options => _options;

    /// <summary>Number of minutes generated.</summary>
    public int Minutes => (int)Math.Ceiling(_options.Duration.TotalMinutes);

    /// <summary>
    /// Expected arrivals (including burst copies) in minute <paramref name="minute"/> for streams matching the
    /// filters (null = any).
    /// </summary>
    public double ExpectedRequests(int minute, RegionId? region = null, ModelId? model = null, Tier? tier = null)
    {
        double sum = 0;
        foreach (Category s in _categories)
        {
            if ((region is null || s.Region.Region == region) && (model is null || s.Model == model) && (tier is null || s.Tier == tier))
            {
                sum += Rate(s, minute);
            }
        }

        return sum * BurstMultiplier(minute);
    }

    /// <summary>Generates the workload in arrival order. Enumerating twice yields the same sequence.</summary>
    public IEnumerable<InferenceRequest> Generate()
    {
        var random = new WorkloadRandom(_options.Seed);
        EmpiricalTokenLengths code = EmpiricalTokenLengths.Code;
        EmpiricalTokenLengths conversation = EmpiricalTokenLengths.Conversation;
        TimeSpan? niwDeadline = _options.NonInteractiveDeadline;
        double codeShare = _options.CodeTraceShare;
        var cumulative = new double[_categories.Length];
        double[] offsets = new double[1024];
        long nextId = 0;
        int minutes = Minutes;
        for (int minute = 0; minute < minutes; minute++)
        {
            double total = 0;
            for (int i = 0; i < _categories.Length; i++)
            {
                total += Rate(_categories[i], minute);
                cumulative[i] = total;
            }

            long count = random.NextPoisson(total);
            if (count == 0)
            {
                continue;
            }

            if (offsets.Length < count + 1)
            {
                offsets = new double[Math.Max(count + 1, offsets.Length * 2)];
            }

            double sum = 0;
            for (long i = 0; i <= count; i++)
            {
                sum += random.NextExponential();
                offsets[i] = sum;
            }

            int copies = 1 + (minute % 60 == 0 ? _options.BurstCopies : 0);
            long minuteStartTicks = minute * TimeSpan.TicksPerMinute;
            double ticksPerUnit = TimeSpan.TicksPerMinute / sum;
            for (long i = 0; i < count; i++)
            {
                var arrival = new TimeSpan(minuteStartTicks + (long)(offsets[i] * ticksPerUnit));
                Category s = _categories[Pick(cumulative, random.NextDouble() * total)];
                EmpiricalTokenLengths lengths = codeShare <= 0 ? conversation : codeShare >= 1 ? code : random.NextDouble() < codeShare ? code : conversation;
                (int prompt, int output) = lengths.Sample(random);
                TimeSpan? deadline = s.Tier == Tier.NonInteractive ? niwDeadline : null;
                for (int c = 0; c < copies; c++)
                {
                    yield return new InferenceRequest(nextId++, arrival, s.Model, s.Tier, s.Preference, prompt, output, deadline);
                }
            }
        }
    }

    private double BurstMultiplier(int minute) => minute % 60 == 0 ? 1 + _options.BurstCopies : 1;

    private double Rate(Category s, int minute)
    {
        // Local minute of day; linear interpolation between hourly weights keeps the daily mean at 1.
        long localMinute = minute + (long)s.Region.UtcOffset.TotalMinutes;
        long day = (long)Math.Floor(localMinute / 1440.0);
        double minuteOfDay = localMinute - (day * 1440);
        double[] shape = s.Tier == Tier.Interactive ? _interactiveShape : _nonInteractiveShape;
        double position = (minuteOfDay / 60.0) - 0.5;
        int h0 = (int)Math.Floor(position);
        double fraction = position - h0;
        double weight = (shape[(h0 + 24) % 24] * (1 - fraction)) + (shape[(h0 + 25) % 24] * fraction);
        var dayOfWeek = (DayOfWeek)((((int)_options.StartDay + day) % 7 + 7) % 7);
        bool weekend = dayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        double weekendFactor = !weekend ? 1 : s.Tier == Tier.Interactive ? _options.InteractiveWeekendFactor : _options.NonInteractiveWeekendFactor;
        return s.PerMinute * weight * weekendFactor;
    }

    private static int Pick(double[] cumulative, double u)
    {
        for (int i = 0; i < cumulative.Length - 1; i++)
        {
            if (u < cumulative[i])
            {
                return i;
            }
        }

        return cumulative.Length - 1;
    }

    private static double[] Normalise(ImmutableArray<double> weights)
    {
        double mean = weights.Average();
        return [.. weights.Select(w => w / mean)];
    }

    private sealed record Category(SyntheticRegion Region, ModelId Model, Tier Tier, ImmutableArray<RegionId> Preference, double PerMinute);
}
