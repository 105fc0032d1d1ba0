namespace SageServe.Planning.Capacity;

/// <summary>Fits a <see cref="LatencyModel"/> to measured prefill and decode samples.</summary>
/// <remarks>
/// The fit minimises <em>relative</em> error (mean absolute relative error, by reweighted least squares) because the
/// samples span two to three orders of magnitude and a planner cares about percentage error at short and
/// long prompts alike; an unweighted fit would only chase the 8k-token points.
/// </remarks>
public static class LatencyModelFitter
{
    /// <summary>Fits both curves of one (model, SKU, TP) configuration.</summary>
    /// <param name="model">Model name.</param>
    /// <param name="sku">SKU name.</param>
    /// <param name="tensorParallel">GPUs per instance.</param>
    /// <param name="prefill">Prefill samples (at least one, all with positive time).</param>
    /// <param name="decode">Decode-iteration samples (at least one, all with positive time).</param>
    public static LatencyModel Fit(
        string model,
        string sku,
        int tensorParallel,
        IReadOnlyCollection<PrefillSample> prefill,
        IReadOnlyCollection<DecodeSample> decode)
    {
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(decode);
        if (prefill.Count == 0 || decode.Count == 0)
        {
            throw new ArgumentException($"{model}/{sku}/tp{tensorParallel}: need prefill and decode samples to fit.");
        }

        var pRows = new List<double[]>(prefill.Count);
        var pY = new List<double>(prefill.Count);
        var pW = new List<double>(prefill.Count);
        foreach (PrefillSample s in prefill)
        {
            RequirePositive(s.Seconds, model, sku, tensorParallel);
            double p = s.PromptTokens;
            pRows.Add([1, p, p * p]);
            pY.Add(s.Seconds);
            pW.Add(1 / (s.Seconds * s.Seconds));
        }

        var dRows = new List<double[]>(decode.Count);
        var dY = new List<double>(decode.Count);
        var dW = new List<double>(decode.Count);
        foreach (DecodeSample s in decode)
        {
            RequirePositive(s.Seconds, model, sku, tensorParallel);
            dRows.Add([1, s.BatchSize, s.ContextTokens]);
            dY.Add(s.Seconds);
            dW.Add(1 / (s.Seconds * s.Seconds));
        }

        double[] pc = SolveRelativeL1(pRows, pY, pW);
        double[] dc = SolveRelativeL1(dRows, dY, dW);
        var unscored = new LatencyFitError(0, 0, 0);
        var fitted = new LatencyModel(model, sku, tensorParallel, pc[0], pc[1], pc[2], dc[0], dc[1], dc[2], unscored, unscored);
        return fitted with
        {
            PrefillFit = Score(prefill.Select(s => (fitted.PrefillSeconds(s.PromptTokens), s.Seconds))),
            DecodeFit = Score(decode.Select(s => (fitted.DecodeIterationSeconds(s.BatchSize, s.ContextTokens), s.Seconds))),
        };
    }

    /// <summary>
    /// Least mean absolute relative error by iteratively reweighted least squares, starting from the
    /// squared-relative-error fit. The reported fit error is the mean absolute relative error, so this minimises
    /// exactly what is reported and is less swayed by the odd outlier row in the profiles.
    /// </summary>
    private static double[] SolveRelativeL1(List<double[]> rows, List<double> y, List<double> baseWeights)
    {
        double[] beta = LatencyModelSolver.SolveNonNegative(rows, y, baseWeights);
        var w = new double[rows.Count];
        for (int iteration = 0; iteration < 30; iteration++)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                double predicted = 0;
                for (int j = 0; j < beta.Length; j++)
                {
                    predicted += rows[i][j] * beta[j];
                }

                double relative = Math.Abs(predicted - y[i]) / y[i];
                w[i] = baseWeights[i] / Math.Max(relative, 1e-4);
            }

            beta = LatencyModelSolver.SolveNonNegative(rows, y, w);
        }

        return beta;
    }

    /// <summary>Mean and max relative error of predictions against measurements.</summary>
    public static LatencyFitError Score(IEnumerable<(double Predicted, double Measured)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double sum = 0;
        double max = 0;
        int n = 0;
        foreach ((double predicted, double measured) in pairs)
        {
            double rel = Math.Abs(predicted - measured) / measured;
            sum += rel;
            max = Math.Max(max, rel);
            n++;
        }

        return new LatencyFitError(n == 0 ? 0 : sum / n, max, n);
    }

    private static void RequirePositive(double seconds, string model, string sku, int tp)
    {
        if (!(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentException($"{model}/{sku}/tp{tp}: sample time must be positive and finite, got {seconds}.");
        }
    }
}
