namespace SageServe.Planning.Forecasting;

/// <summary>
/// Last-value forecast with random-walk error growth (σ√h, σ from one-step changes): the fallback whenever a
/// history is too short for a real model.
/// </summary>
internal static class RandomWalk
{
    public static (double[] Point, double[] StandardError) Forecast(ReadOnlySpan<double> values, int steps)
    {
        var last = values[^1];
        var sumSquares = 0.0;
        for (var i = 1; i < values.Length; i++)
        {
            var diff = values[i] - values[i - 1];
            sumSquares += diff * diff;
        }

        // One value says nothing about variability; fall back to a band proportional to the level.
        var sigma = values.Length > 1 ? Math.Sqrt(sumSquares / (values.Length - 1)) : 0.1 * Math.Abs(last);
        var point = new double[steps];
        var se = new double[steps];
        for (var h = 0; h < steps; h++)
        {
            point[h] = last;
            se[h] = sigma * Math.Sqrt(h + 1);
        }

        return (point, se);
    }
}
