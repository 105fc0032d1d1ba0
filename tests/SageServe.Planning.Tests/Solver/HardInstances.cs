using SageServe.Planning.Solver;

namespace SageServe.Planning.Tests.Solver;

/// <summary>Seeded generators of MIPs that CBC cannot close quickly.</summary>
internal static class HardInstances
{
    /// <summary>
    /// A 0-1 multi-dimensional knapsack (maximise value under <paramref name="dimensions"/> capacity rows) with
    /// weakly correlated values and capacities at half the total weight: the classic hard family.
    /// </summary>
    public static (MipModel Model, Variable[] Take) MultiKnapsack(int items, int dimensions, int seed)
    {
        var random = new Random(seed);
        var model = new MipModel();
        var take = Enumerable.Range(0, items).Select(i => model.AddBinary($"take{i}")).ToArray();
        var weights = new double[dimensions][];
        for (var d = 0; d < dimensions; d++)
        {
            weights[d] = Enumerable.Range(0, items).Select(_ => (double)random.Next(1, 1001)).ToArray();
            model.AddConstraint(LinearExpression.WeightedSum(take, weights[d]) <= Math.Floor(weights[d].Sum() / 2), $"capacity{d}");
        }

        var values = Enumerable.Range(0, items)
            .Select(i => Math.Round(Enumerable.Range(0, dimensions).Sum(d => weights[d][i]) / dimensions + random.Next(0, 501)))
            .ToArray();
        model.Maximize(LinearExpression.WeightedSum(take, values));
        return (model, take);
    }

    /// <summary>
    /// A market-split instance (Cornuéjols and Dawande): <paramref name="rows"/> equality rows Σ aᵢⱼxⱼ = ⌊Σ aᵢⱼ / 2⌋
    /// over binaries with aᵢⱼ in [0, 99]. Branch-and-bound neither finds a point nor proves infeasibility quickly.
    /// </summary>
    public static MipModel MarketSplit(int rows, int seed)
    {
        var random = new Random(seed);
        var model = new MipModel();
        var items = 10 * (rows - 1);
        var x = Enumerable.Range(0, items).Select(j => model.AddBinary($"x{j}")).ToArray();
        for (var i = 0; i < rows; i++)
        {
            var a = Enumerable.Range(0, items).Select(_ => (double)random.Next(0, 100)).ToArray();
            model.AddEquality(LinearExpression.WeightedSum(x, a), Math.Floor(a.Sum() / 2), $"split{i}");
        }

        model.Minimize(LinearExpression.Sum(x));
        return model;
    }
}
