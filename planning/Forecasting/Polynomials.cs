namespace SageServe.Planning.Forecasting;

/// <summary>Lag-polynomial helpers for ARMA models.</summary>
internal static class Polynomials
{
    /// <summary>
    /// True when 1 − c₁z − … − cₖzᵏ has all roots outside the unit circle (Schur–Cohn step-down: every reflection
    /// coefficient strictly inside (−1, 1) with a small margin so recursions stay numerically tame).
    /// Pass AR coefficients for stationarity and negated MA coefficients for invertibility.
    /// </summary>
    public static bool IsStable(ReadOnlySpan<double> coefficients)
    {
        var k = coefficients.Length;
        if (k == 0)
        {
            return true;
        }

        Span<double> a = stackalloc double[k];
        Span<double> next = stackalloc double[k];
        coefficients.CopyTo(a);
        for (var order = k; order >= 1; order--)
        {
            var r = a[order - 1];
            if (!(Math.Abs(r) < 0.999))
            {
                return false;
            }

            var denom = 1.0 - (r * r);
            for (var i = 0; i < order - 1; i++)
            {
                next[i] = (a[i] + (r * a[order - 2 - i])) / denom;
            }

            next[..(order - 1)].CopyTo(a);
        }

        return true;
    }

    public static bool IsInvertible(ReadOnlySpan<double> ma)
    {
        Span<double> negated = stackalloc double[ma.Length];
        for (var i = 0; i < ma.Length; i++)
        {
            negated[i] = -ma[i];
        }

        return IsStable(negated);
    }

    /// <summary>Shrinks coefficients toward zero until <see cref="IsStable"/> holds (zero is always stable).</summary>
    public static void ShrinkUntilStable(Span<double> coefficients, bool negate)
    {
        Span<double> probe = stackalloc double[coefficients.Length];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            for (var i = 0; i < coefficients.Length; i++)
            {
                probe[i] = negate ? -coefficients[i] : coefficients[i];
            }

            if (IsStable(probe))
            {
                return;
            }

            for (var i = 0; i < coefficients.Length; i++)
            {
                coefficients[i] *= 0.9;
            }
        }

        coefficients.Clear();
    }

    /// <summary>
    /// MA(∞) weights ψ₀..ψ_{count−1} of an ARIMA model with AR coefficients <paramref name="ar"/>, MA coefficients
    /// <paramref name="ma"/> and <paramref name="d"/> differences; they give the h-step forecast error variance.
    /// </summary>
    public static double[] PsiWeights(ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, int d, int count)
    {
        // φ*(B) = φ(B)(1 − B)^d written as 1 − Σ a_i Bⁱ.
        var poly = new double[ar.Length + 1];
        poly[0] = 1.0;
        for (var i = 0; i < ar.Length; i++)
        {
            poly[i + 1] = -ar[i];
        }

        for (var k = 0; k < d; k++)
        {
            var next = new double[poly.Length + 1];
            for (var i = 0; i < poly.Length; i++)
            {
                next[i] += poly[i];
                next[i + 1] -= poly[i];
            }

            poly = next;
        }

        var psi = new double[count];
        for (var j = 0; j < count; j++)
        {
            var v = j == 0 ? 1.0 : (j <= ma.Length ? ma[j - 1] : 0.0);
            for (var i = 1; i < poly.Length && i <= j; i++)
            {
                v -= poly[i] * psi[j - i];
            }

            psi[j] = v;
        }

        return psi;
    }
}
