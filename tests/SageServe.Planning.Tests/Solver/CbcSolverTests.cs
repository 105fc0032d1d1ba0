using SageServe.Planning.Solver;

namespace SageServe.Planning.Tests.Solver;

public sealed class CbcSolverTests
{
    private static readonly MipSolveOptions Exact = new() { RelativeGap = 0.0 };
    private readonly CbcSolver _solver = new();

    [Fact]
    public void Solve_Knapsack_FindsProvenOptimum()
    {
        // Checked against enumeration of all 32 subsets.
        var model = new MipModel();
        double[] value = [10, 13, 7, 8, 11];
        double[] weight = [5, 7, 3, 4, 6];
        var take = Enumerable.Range(0, 5).Select(i => model.AddBinary($"take{i}")).ToArray();
        model.AddConstraint(LinearExpression.WeightedSum(take, weight) <= 14, "capacity");
        model.Maximize(LinearExpression.WeightedSum(take, value));

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(BruteForceKnapsack(value, weight, 14), result.ObjectiveValue, 6);
        Assert.True(take.Sum(t => result[t] * weight[t.Index]) <= 14 + 1e-9);
        Assert.Equal(result.ObjectiveValue, take.Sum(t => result[t] * value[t.Index]), 6);
        Assert.Equal(result.ObjectiveValue, result.BestBound, 6);
        Assert.Equal(0.0, result.Gap, 6);
        Assert.Equal(5, result.NumVariables);
        Assert.Equal(5, result.NumIntegers);
        Assert.Equal(1, result.NumConstraints);
    }

    [Fact]
    public void Solve_AssignmentProblem_FindsMinimumCostPermutation()
    {
        double[,] cost = { { 9, 2, 7, 8 }, { 6, 4, 3, 7 }, { 5, 8, 1, 8 }, { 7, 6, 9, 4 } };
        var model = new MipModel();
        var x = new Variable[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                x[i, j] = model.AddBinary($"x{i}{j}");
            }
        }

        for (var i = 0; i < 4; i++)
        {
            var row = i;
            model.AddEquality(LinearExpression.Sum(Enumerable.Range(0, 4).Select(j => x[row, j])), 1, $"worker{i}");
            model.AddEquality(LinearExpression.Sum(Enumerable.Range(0, 4).Select(j => x[j, row])), 1, $"job{i}");
        }

        var objective = LinearExpression.Zero;
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                objective += cost[i, j] * x[i, j];
            }
        }

        model.Minimize(objective);
        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(13.0, result.ObjectiveValue, 6); // 2 + 6 + 1 + 4
        Assert.Equal(1.0, result[x[0, 1]]);
        Assert.Equal(1.0, result[x[1, 0]]);
        Assert.Equal(1.0, result[x[2, 2]]);
        Assert.Equal(1.0, result[x[3, 3]]);
        Assert.Equal(13.0, result.Evaluate(objective), 6);
    }

    [Fact]
    public void Solve_FractionalLpRelaxation_ReturnsIntegerOptimum()
    {
        // max x + y  s.t. 2x + 2y <= 3: LP optimum 1.5, integer optimum 1.
        var model = new MipModel();
        var x = model.AddInteger(0, 10, "x");
        var y = model.AddInteger(0, 10, "y");
        model.AddConstraint(2 * x + 2 * y <= 3);
        model.Maximize(x + y);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(1.0, result.ObjectiveValue, 9);
        Assert.Equal(1.0, result[x] + result[y]);
        Assert.Equal(Math.Round(result[x]), result[x]);
    }

    [Fact]
    public void Solve_ContinuousVariablesOnly_SolvesLp()
    {
        var model = new MipModel();
        var x = model.AddContinuous(0, 10, "x");
        var y = model.AddContinuous(0, 10, "y");
        model.AddConstraint(2 * x + 2 * y <= 3);
        model.Maximize(x + 2 * y + 5);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(8.0, result.ObjectiveValue, 6);
        Assert.Equal(1.5, result[y], 6);
        Assert.Equal(0, result.NumIntegers);
    }

    [Fact]
    public void Solve_EqualityAndRangedConstraints_AreRespected()
    {
        // min 3a + 2b + c  s.t. a + b + c = 7, 2 <= a - b <= 4, c >= 1, integers.
        var model = new MipModel();
        var a = model.AddInteger(0, 20, "a");
        var b = model.AddInteger(0, 20, "b");
        var c = model.AddInteger(0, 20, "c");
        model.AddEquality(a + b + c, 7, "total");
        model.AddRange(2, a - b, 4, "spread");
        model.AddConstraint(c >= 1);
        model.Minimize(3 * a + 2 * b + c);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(7.0, result[a] + result[b] + result[c]);
        var spread = result[a] - result[b];
        Assert.InRange(spread, 2, 4);
        Assert.Equal(11.0, result.ObjectiveValue, 6); // a=2, b=0, c=5
    }

    [Fact]
    public void Solve_ObjectiveConstantAndNegativeBounds_AreHandled()
    {
        var model = new MipModel();
        var x = model.AddInteger(-5, 5, "x");
        var y = model.AddContinuous(double.NegativeInfinity, double.PositiveInfinity, "y");
        model.AddConstraint(y >= x - 0.5);
        model.AddConstraint(y >= -x - 0.5);
        model.Minimize(y + 100);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(0.0, result[x]);
        Assert.Equal(99.5, result.ObjectiveValue, 6);
    }

    [Fact]
    public void Solve_Infeasible_ReportsInfeasibleWithoutValues()
    {
        var model = new MipModel();
        var x = model.AddInteger(0, 10, "x");
        var y = model.AddInteger(0, 10, "y");
        model.AddConstraint(x + y >= 5);
        model.AddConstraint(x + y <= 4);
        model.Minimize(x);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Infeasible, result.Status);
        Assert.False(result.HasSolution);
        Assert.True(double.IsNaN(result.ObjectiveValue));
        Assert.Throws<InvalidOperationException>(() => result[x]);
    }

    [Fact]
    public void Solve_IntegerInfeasibleButLpFeasible_ReportsInfeasible()
    {
        // 2x = 1 has the LP solution 0.5 but no integer one.
        var model = new MipModel();
        var x = model.AddInteger(0, 10, "x");
        model.AddEquality(2 * x, 1);
        model.Minimize(x);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Infeasible, result.Status);
    }

    [Fact]
    public void Solve_Unbounded_ReportsUnbounded()
    {
        var model = new MipModel();
        var x = model.AddInteger(0, double.PositiveInfinity, "x");
        var y = model.AddInteger(0, double.PositiveInfinity, "y");
        model.AddConstraint(x - y <= 2);
        model.Maximize(x + y);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Unbounded, result.Status);
        Assert.False(result.HasSolution);
    }

    [Fact]
    public void Solve_InfeasibleLp_ReportsInfeasible()
    {
        var model = new MipModel();
        var x = model.AddContinuous(0, 1, "x");
        model.AddConstraint(x >= 2);
        model.Minimize(x);

        Assert.Equal(MipStatus.Infeasible, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_InfeasibleLpNotCaughtByBounds_ReportsInfeasible()
    {
        // Adding the first two rows gives x + y >= 8/3, which contradicts the third.
        var model = new MipModel();
        var x = model.AddContinuous(0, 10, "x");
        var y = model.AddContinuous(0, 10, "y");
        model.AddConstraint(x + 2 * y >= 4);
        model.AddConstraint(2 * x + y >= 4);
        model.AddConstraint(x + y <= 2.5);
        model.Maximize(x - y);

        Assert.Equal(MipStatus.Infeasible, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_UnboundedLp_ReportsUnbounded()
    {
        var model = new MipModel();
        var x = model.AddContinuous(double.NegativeInfinity, 0, "x");
        var y = model.AddContinuous(0, 1, "y");
        model.AddConstraint(x + y <= 1);
        model.Minimize(x);

        Assert.Equal(MipStatus.Unbounded, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_LargeSparseCoveringLp_SatisfiesEveryRow()
    {
        // 50k columns x 10k rows, 3 nonzeros per column: exercises the column-major export at planner scale.
        var random = new Random(42);
        var model = new MipModel();
        var columns = Enumerable.Range(0, 50_000).Select(_ => model.AddContinuous(0, 3)).ToArray();
        var rows = Enumerable.Range(0, 10_000).Select(_ => new List<Variable>()).ToArray();
        foreach (var column in columns)
        {
            for (var t = 0; t < 3; t++)
            {
                rows[random.Next(rows.Length)].Add(column);
            }
        }

        var expressions = rows.Select(r => LinearExpression.Sum(r.Count == 0 ? [columns[0]] : r)).ToArray();
        foreach (var expression in expressions)
        {
            model.AddConstraint(expression >= 1);
        }

        model.Minimize(LinearExpression.WeightedSum(columns, columns.Select(_ => (double)random.Next(1, 101)).ToArray()));
        var result = _solver.Solve(model, MipSolveOptions.Default);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.All(expressions, e => Assert.True(result.Evaluate(e) >= 1 - 1e-6));
        Assert.Equal(10_000, result.NumConstraints);
    }

    [Fact]
    public void Solve_EmptyModel_IsOptimalAtTheObjectiveConstant()
    {
        var model = new MipModel();
        model.Minimize(LinearExpression.FromConstant(4.5));

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(4.5, result.ObjectiveValue);
    }

    [Fact]
    public void Solve_ConstraintWhoseTermsCancel_IsCheckedAsAConstant()
    {
        var model = new MipModel();
        var x = model.AddInteger(0, 5, "x");
        model.AddConstraint(x - x + 2 <= 1, "impossible");
        model.Maximize(x);

        Assert.Equal(MipStatus.Infeasible, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_ConstraintWhoseTermsCancelButHolds_IsIgnored()
    {
        var model = new MipModel();
        var x = model.AddInteger(0, 5, "x");
        model.AddConstraint(x - x + 2 <= 3, "trivial");
        model.Maximize(x);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(5.0, result[x]);
    }

    [Fact]
    public void Solve_NoConstraints_UsesBoundsOnly()
    {
        var model = new MipModel();
        var x = model.AddInteger(-3, 7, "x");
        model.Maximize(2 * x);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MipStatus.Optimal, result.Status);
        Assert.Equal(7.0, result[x]);
        Assert.Equal(14.0, result.ObjectiveValue, 9);
    }

    [Fact]
    public void Solve_MissingNativeLibrary_ThrowsSolverUnavailableNamingThePackage()
    {
        var solver = new CbcSolver(["libDoesNotExist-sageserve.so.9", "/nonexistent/libCbcSolver.so.3"]);
        var model = new MipModel();
        model.Minimize(model.AddBinary());

        var error = Assert.Throws<SolverUnavailableException>(() => solver.Solve(model, MipSolveOptions.Default));

        Assert.Contains("coinor-libcbc3", error.Message);
        Assert.Contains("libCbcSolver.so.3", error.Message);
    }

    [Fact]
    public void Version_InstalledLibrary_Reports210()
    {
        Assert.StartsWith("2.10", _solver.Version);
    }

    [Fact]
    public void Solve_InvalidOptions_Throws()
    {
        var model = new MipModel();
        model.Minimize(model.AddBinary());

        Assert.Throws<ArgumentOutOfRangeException>(() => _solver.Solve(model, new MipSolveOptions { RelativeGap = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _solver.Solve(model, new MipSolveOptions { TimeLimit = TimeSpan.Zero }));
    }

    private static double BruteForceKnapsack(double[] value, double[] weight, double capacity)
    {
        var best = 0.0;
        for (var mask = 0; mask < 1 << value.Length; mask++)
        {
            double v = 0, w = 0;
            for (var i = 0; i < value.Length; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    v += value[i];
                    w += weight[i];
                }
            }

            if (w <= capacity)
            {
                best = Math.Max(best, v);
            }
        }

        return best;
    }
}
