using SageServe.Grains.Scaling;

namespace SageServe.Grains.Strategies;

/// <summary>
/// The reference reactive rule (SPEC §2): one instance out when a pool's utilisation is above the scale-out
/// threshold, one in when below the scale-in threshold, each with its cooldown, never below the floor.
/// </summary>
public static class ReactiveRule
{
    /// <summary>+1, −1 or 0 for <paramref name="pool"/> now.</summary>
    public static int Delta(InstancePool pool, DateTimeOffset now, ScalingOptions options, bool scaleOutAllowed = true)
    {
        var utilisation = pool.Utilisation();
        if (utilisation > options.ScaleOutAbove && scaleOutAllowed && now - pool.LastScaleOut >= options.ScaleOutCooldown)
        {
            return 1;
        }

        if (utilisation < options.ScaleInBelow && pool.ActiveCount > pool.Floor &&
            now - pool.LastScaleIn >= options.ScaleInCooldown && now - pool.LastScaleOut >= options.ScaleInCooldown)
        {
            return -1;
        }

        return 0;
    }
}
