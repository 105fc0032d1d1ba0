namespace SageServe.Planning.Forecasting;

/// <summary>Order of an ARIMA(p, d, q) model.</summary>
/// <param name="P">Autoregressive order, 0..10.</param>
/// <param name="D">Differencing order, 0..2.</param>
/// <param name="Q">Moving-average order, 0..10.</param>
public readonly record struct ArimaOrder(int P, int D, int Q)
{
    /// <summary>The order used by the reference implementation: ARIMA(3, 1, 2).</summary>
    public static ArimaOrder Reference { get; } = new(3, 1, 2);

    /// <summary>Throws when an order is outside the supported range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p or q outside 0..10, or d outside 0..2.</exception>
    public void Validate()
    {
        if (P is < 0 or > 10 || Q is < 0 or > 10 || D is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ArimaOrder), this, "ARIMA order must have p, q in 0..10 and d in 0..2.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"({P},{D},{Q})";
}
