using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// The reactive rule (SPEC §2): scale out when a pool's utilisation is above the scale-out threshold, in when below
/// the scale-in threshold, each with its cooldown, never below the floor. Out adds as many instances as bring the
/// utilisation back to the middle of the band (the reference adds one per cooldown, which cannot follow a morning
/// ramp when a new VM takes minutes); in removes one at a time.
/// </summary>
public static class ReactiveRule
{
    /// <summary>+1, −1 or 0 for <paramref name="pool"/> now.</summary>
    public static int Delta(InstancePool pool, DateTimeOffset now, ScalingOptions options, bool scaleOutAllowed = true)
    {
        var utilisation = pool.Utilisation();
        if (utilisation > options.ScaleOutAbove && scaleOutAllowed && now - pool.LastScaleOut >= options.ScaleOutCooldown)
        {
            var active = Math.Max(1, pool.ActiveCount);
            var target = (options.ScaleOutAbove + options.ScaleInBelow) / 2;
            var wanted = double.IsInfinity(utilisation) ? active : (int)Math.Ceiling(active * utilisation / target) - active;
            return Math.Max(1, wanted);
        }

        if (utilisation < options.ScaleInBelow && pool.ActiveCount > pool.Floor &&
            now - pool.LastScaleIn >= options.ScaleInCooldown && now - pool.LastScaleOut >= options.ScaleInCooldown)
        {
            return -1;
        }

        return 0;
    }
}
