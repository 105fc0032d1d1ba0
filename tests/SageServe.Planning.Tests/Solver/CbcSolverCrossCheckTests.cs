using SageServe.Planning.Solver;

namespace SageServe.Planning.Tests.Solver;

/// <summary>CBC against exhaustive enumeration on many tiny random integer programs.</summary>
public sealed class CbcSolverCrossCheckTests
{
    private const int Instances = 200;

    [Fact]
    public void Solve_TinyRandomIntegerPrograms_MatchesBruteForce()
    {
        var random = new Random(20261128);
        var solver = new CbcSolver();
        var seen = new Dictionary<MipStatus, int>();
        for (var instance = 0; instance < Instances; instance++)
        {
            var program = TinyProgram.Generate(random);
            var (model, variables) = program.Build();

            var result = solver.Solve(model, new MipSolveOptions { RelativeGap = 0.0 });
            var expected = program.BruteForceOptimum();

            seen[result.Status] = seen.GetValueOrDefault(result.Status) + 1;
            if (expected is null)
            {
                Assert.True(result.Status == MipStatus.Infeasible, $"instance {instance}: expected Infeasible, got {result.Status}\n{program}");
                continue;
            }

            Assert.True(result.Status == MipStatus.Optimal, $"instance {instance}: expected Optimal {expected}, got {result.Status}\n{program}");
            Assert.True(Math.Abs(expected.Value - result.ObjectiveValue) < 1e-6, $"instance {instance}: expected {expected}, got {result.ObjectiveValue}\n{program}");
            var values = variables.Select(v => result[v]).ToArray();
            Assert.True(program.IsFeasible(values), $"instance {instance}: returned point [{string.Join(", ", values)}] is infeasible\n{program}");
            Assert.Equal(result.ObjectiveValue, program.Objective(values), 9);
        }

        // The generator must exercise both outcomes, or the cross-check proves little.
        Assert.True(seen.GetValueOrDefault(MipStatus.Optimal) >= Instances / 4, $"too few feasible instances: {seen.GetValueOrDefault(MipStatus.Optimal)}");
        Assert.True(seen.GetValueOrDefault(MipStatus.Infeasible) >= 5, $"too few infeasible instances: {seen.GetValueOrDefault(MipStatus.Infeasible)}");
    }

    private sealed record TinyProgram(int[] Lower, int[] Upper, int[][] Rows, char[] Senses, int[] RightHandSides, int[] Costs, bool Maximize)
    {
        public static TinyProgram Generate(Random random)
        {
            var numVariables = random.Next(2, 5);
            var numRows = random.Next(1, 4);
            var lower = new int[numVariables];
            var upper = new int[numVariables];
            for (var j = 0; j < numVariables; j++)
            {
                lower[j] = random.Next(-3, 2);
                upper[j] = lower[j] + random.Next(0, 5);
            }

            var rows = new int[numRows][];
            var senses = new char[numRows];
            var rhs = new int[numRows];
            for (var i = 0; i < numRows; i++)
            {
                rows[i] = Enumerable.Range(0, numVariables).Select(_ => random.Next(-5, 6)).ToArray();
                senses[i] = random.Next(10) switch { < 4 => 'L', < 8 => 'G', _ => 'E' };
                rhs[i] = random.Next(-8, 9);
            }

            var costs = Enumerable.Range(0, numVariables).Select(_ => random.Next(-6, 7)).ToArray();
            return new TinyProgram(lower, upper, rows, senses, rhs, costs, random.Next(2) == 0);
        }

        public (MipModel Model, Variable[] Variables) Build()
        {
            var model = new MipModel();
            var variables = Lower.Select((lower, j) => model.AddInteger(lower, Upper[j], $"v{j}")).ToArray();
            for (var i = 0; i < Rows.Length; i++)
            {
                var expression = LinearExpression.WeightedSum(variables, Rows[i].Select(a => (double)a).ToArray());
                _ = Senses[i] switch
                {
                    'L' => model.AddConstraint(expression <= RightHandSides[i]),
                    'G' => model.AddConstraint(expression >= RightHandSides[i]),
                    _ => model.AddEquality(expression, RightHandSides[i]),
                };
            }

            var objective = LinearExpression.WeightedSum(variables, Costs.Select(c => (double)c).ToArray());
            if (Maximize)
            {
                model.Maximize(objective);
            }
            else
            {
                model.Minimize(objective);
            }

            return (model, variables);
        }

        public double? BruteForceOptimum()
        {
            double? best = null;
            var point = (int[])Lower.Clone();
            while (true)
            {
                var values = point.Select(p => (double)p).ToArray();
                if (IsFeasible(values))
                {
                    var value = Objective(values);
                    if (best is null || (Maximize ? value > best : value < best))
                    {
                        best = value;
                    }
                }

                var j = 0;
                while (j < point.Length && point[j] == Upper[j])
                {
                    point[j] = Lower[j];
                    j++;
                }

                if (j == point.Length)
                {
                    return best;
                }

                point[j]++;
            }
        }

        public bool IsFeasible(double[] values)
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (values[j] < Lower[j] || values[j] > Upper[j] || values[j] != Math.Round(values[j]))
                {
                    return false;
                }
            }

            for (var i = 0; i < Rows.Length; i++)
            {
                var activity = Rows[i].Select((a, j) => a * values[j]).Sum();
                var ok = Senses[i] switch
                {
                    'L' => activity <= RightHandSides[i] + 1e-9,
                    'G' => activity >= RightHandSides[i] - 1e-9,
                    _ => Math.Abs(activity - RightHandSides[i]) <= 1e-9,
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        public double Objective(double[] values) => Costs.Select((c, j) => c * values[j]).Sum();

        public override string ToString() =>
            $"{(Maximize ? "max" : "min")} [{string.Join(",", Costs)}]·x, bounds [{string.Join(",", Lower)}]..[{string.Join(",", Upper)}], " +
            string.Join("; ", Rows.Select((r, i) => $"[{string.Join(",", r)}]·x {Senses[i]} {RightHandSides[i]}"));
    }
}
