using SageServe.Planning.Capacity;

namespace SageServe.Planning.Tests.Capacity;

public sealed class LatencyModelTests
{
    [Fact]
    public void Fit_ExactQuadraticAndLinearData_RecoversCoefficients()
    {
        PrefillSample[] prefill = [.. new[] { 128, 256, 512, 1024, 2048, 4096, 8192 }.Select(p => new PrefillSample(p, 0.02 + (1e-4 * p) + (1e-8 * p * p)))];
        var decode = new List<DecodeSample>();
        foreach (int b in new[] { 1, 2, 4, 8, 16, 32 })
        {
            foreach (long ctx in new long[] { 512, 4096, 32768 })
            {
                decode.Add(new DecodeSample(b, ctx * b, 0.03 + (2e-4 * b) + (3e-7 * ctx * b)));
            }
        }

        LatencyModel m = LatencyModelFitter.Fit("X", "a100-80gb", 8, prefill, decode);

        Assert.Equal(0.02, m.PrefillFixedSeconds, 1e-9);
        Assert.Equal(1e-4, m.PrefillSecondsPerToken, 1e-12);
        Assert.Equal(1e-8, m.PrefillSecondsPerTokenSquared, 1e-15);
        Assert.Equal(0.03, m.DecodeFixedSeconds, 1e-9);
        Assert.Equal(2e-4, m.DecodeSecondsPerSequence, 1e-11);
        Assert.Equal(3e-7, m.DecodeSecondsPerContextToken, 1e-13);
        Assert.True(m.PrefillFit.MaxRelative < 1e-6);
        Assert.True(m.DecodeFit.MaxRelative < 1e-6);
    }

    [Fact]
    public void SolveNonNegative_UnconstrainedOptimumNegative_ClampsToZero()
    {
        // y = 5 − 0.1x: the unconstrained slope is negative, so the constrained fit is flat at the weighted mean.
        double[][] rows = [.. Enumerable.Range(1, 10).Select(x => new double[] { 1, x })];
        double[] y = [.. Enumerable.Range(1, 10).Select(x => 5 - (0.1 * x))];
        double[] w = [.. Enumerable.Repeat(1.0, 10)];

        double[] beta = LatencyModelSolver.SolveNonNegative(rows, y, w);

        Assert.Equal(0, beta[1]);
        Assert.Equal(y.Average(), beta[0], 1e-9);
    }

    [Fact]
    public void SingleRequestSeconds_KnownCoefficients_PrefillPlusDecodeSteps()
    {
        var fit = new LatencyFitError(0, 0, 0);
        var m = new LatencyModel("X", "s", 1, 0.1, 0.001, 0, 0.02, 0.001, 0.000001, fit, fit);

        // prefill 0.1 + 0.1 = 0.2; decode step at batch 1 with context 100 + 5 = 0.02 + 0.001 + 0.000105.
        Assert.Equal(0.2 + (10 * 0.021105), m.SingleRequestSeconds(100, 10), 1e-12);
        Assert.Equal(TimeSpan.FromSeconds(0.2), m.PrefillTime(100));
    }

    [Fact]
    public void Fit_NoSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencyModelFitter.Fit("X", "s", 1, [], [new DecodeSample(1, 1, 1)]));
    }
}
