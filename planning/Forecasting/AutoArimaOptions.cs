namespace SageServe.Planning.Forecasting;

/// <summary>Search space and test settings for <see cref="AutoArima"/>.</summary>
public sealed record AutoArimaOptions
{
    /// <summary>Largest AR order tried. Default 3.</summary>
    public int MaxP { get; init; } = 3;

    /// <summary>Largest MA order tried. Default 2.</summary>
    public int MaxQ { get; init; } = 2;

    /// <summary>Largest differencing order. Default 1.</summary>
    public int MaxD { get; init; } = 1;

    /// <summary>KPSS critical value above which the series is differenced once more. Default 0.463 (5 % level).</summary>
    public double KpssCriticalValue { get; init; } = 0.463;

    /// <summary>
    /// AICc margin within which a model with fewer coefficients is preferred to the minimum-AICc model. Default 2
    /// (the usual "indistinguishable" band); 0 gives plain minimum AICc.
    /// </summary>
    public double AiccTolerance { get; init; } = 2.0;

    /// <summary>Throws when a setting is out of range, naming the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (MaxP is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxP), MaxP, "AutoArimaOptions.MaxP must be in 0..10.");
        }

        if (MaxQ is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQ), MaxQ, "AutoArimaOptions.MaxQ must be in 0..10.");
        }

        if (MaxD is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxD), MaxD, "AutoArimaOptions.MaxD must be in 0..2.");
        }

        if (!(AiccTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(AiccTolerance), AiccTolerance, "AutoArimaOptions.AiccTolerance must not be negative.");
        }

        if (!(KpssCriticalValue > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(KpssCriticalValue), KpssCriticalValue, "AutoArimaOptions.KpssCriticalValue must be positive.");
        }
    }
}
