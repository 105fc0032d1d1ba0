using System.Diagnostics;
using SageServe.Planning.Solver;

namespace SageServe.Planning.Tests.Solver;

public sealed class MipModelTests
{
    [Fact]
    public void AddVariable_LowerAboveUpper_ThrowsNamingTheVariable()
    {
        var model = new MipModel();

        var error = Assert.Throws<ArgumentException>(() => model.AddInteger(5, 2, "instances"));

        Assert.Contains("instances", error.Message);
        Assert.Empty(model.Variables);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.NaN)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity)]
    public void AddContinuous_InvalidBounds_Throws(double lower, double upper)
    {
        var model = new MipModel();

        Assert.Throws<ArgumentException>(() => model.AddContinuous(lower, upper));
    }

    [Fact]
    public void AddVariable_BinaryOutsideUnitInterval_Throws()
    {
        var model = new MipModel();

        Assert.Throws<ArgumentException>(() => model.AddVariable(VariableKind.Binary, 0, 2, "b"));
    }

    [Fact]
    public void AddVariable_DefaultsAndCounts_AreRecorded()
    {
        var model = new MipModel();
        var x = model.AddContinuous();
        var n = model.AddInteger(1, 9, "n");
        var b = model.AddBinary();

        Assert.Equal("x0", x.Name);
        Assert.Equal(0.0, x.LowerBound);
        Assert.True(double.IsPositiveInfinity(x.UpperBound));
        Assert.Equal(1, n.Index);
        Assert.Equal(VariableKind.Binary, b.Kind);
        Assert.Equal(2, model.IntegerCount);
        Assert.Equal(3, model.Variables.Count);
    }

    [Fact]
    public void AddConstraint_NaNCoefficient_ThrowsNamingConstraintAndVariableAndLeavesModelUnchanged()
    {
        var model = new MipModel();
        var x = model.AddContinuous(name: "load");
        var y = model.AddContinuous(name: "spare");

        var error = Assert.Throws<ArgumentException>(() => model.AddConstraint(2 * x + double.NaN * y <= 3, "capacity"));

        Assert.Contains("capacity", error.Message);
        Assert.Contains("spare", error.Message);
        Assert.Empty(model.Constraints);
        Assert.Equal(0, model.NonZeroCount);
    }

    [Fact]
    public void AddConstraint_InfiniteCoefficient_Throws()
    {
        var model = new MipModel();
        var x = model.AddContinuous(name: "x");

        Assert.Throws<ArgumentException>(() => model.AddConstraint(double.PositiveInfinity * x >= 1));
    }

    [Fact]
    public void AddConstraint_VariableFromAnotherModel_Throws()
    {
        var model = new MipModel();
        var other = new MipModel();
        var x = model.AddContinuous(name: "x");
        var foreign = other.AddContinuous(name: "foreign");

        var error = Assert.Throws<ArgumentException>(() => model.AddConstraint(x + foreign <= 1, "mixed"));

        Assert.Contains("foreign", error.Message);
        Assert.Contains("another MipModel", error.Message);
    }

    [Fact]
    public void Minimize_VariableFromAnotherModel_Throws()
    {
        var model = new MipModel();
        var foreign = new MipModel().AddBinary("foreign");

        Assert.Throws<ArgumentException>(() => model.Minimize(foreign * 2));
    }

    [Fact]
    public void AddRange_LowerAboveUpper_Throws()
    {
        var model = new MipModel();
        var x = model.AddContinuous();

        Assert.Throws<ArgumentException>(() => model.AddRange(4, x, 3, "backwards"));
        Assert.Throws<ArgumentException>(() => model.AddRange(double.NaN, x, 3));
    }

    [Fact]
    public void AddConstraint_ConstantsAndRepeatedVariables_AreMovedAndMerged()
    {
        var model = new MipModel();
        var x = model.AddContinuous(name: "x");
        var y = model.AddContinuous(name: "y");

        // 2x + 3 + x - y + y <= 10  ==>  3x <= 7 (y cancels out and is dropped).
        var row = model.AddConstraint(2 * x + 3 + x - y + y <= 10, "merged");

        Assert.Equal(7.0, row.UpperBound);
        Assert.True(double.IsNegativeInfinity(row.LowerBound));
        Assert.Equal(1, model.NonZeroCount);
        Assert.Equal(3.0 * 2.0, model.Evaluate(2 * x + 3 + x - y + y - 3, v => v == x ? 2.0 : 100.0));
    }

    [Fact]
    public void Operators_ScaleNegateAndDivide_CombineCorrectly()
    {
        var model = new MipModel();
        var x = model.AddContinuous(name: "x");
        var y = model.AddContinuous(name: "y");
        var expression = -((x - 2 * y) * 3 + 1) / 2 + (5 - x) - (1 + y);

        // At x = 1, y = 4: -((1 - 8) * 3 + 1) / 2 + 4 - 5 = 10 - 1 = 9.
        var value = model.Evaluate(expression, v => v == x ? 1.0 : 4.0);

        Assert.Equal(9.0, value, 12);
    }

    [Fact]
    public void Evaluate_LongLeftDeepChain_IsLinearAndDoesNotOverflowTheStack()
    {
        var model = new MipModel();
        var variables = Enumerable.Range(0, 1000).Select(_ => model.AddContinuous()).ToArray();
        var expression = LinearExpression.Zero;
        var stopwatch = Stopwatch.StartNew();
        for (var k = 0; k < 200_000; k++)
        {
            expression += variables[k % variables.Length] * 0.5;
        }

        var row = model.AddConstraint(expression <= 1);
        stopwatch.Stop();

        Assert.Equal(1000, model.NonZeroCount);
        Assert.Equal(0, row.Index);
        Assert.Equal(200_000 * 0.5, model.Evaluate(expression, _ => 1.0), 6);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"200k-term chain took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Sum_ManyExpressions_FlattensToAllTerms()
    {
        var model = new MipModel();
        var variables = Enumerable.Range(0, 100_000).Select(_ => model.AddBinary()).ToArray();

        model.AddConstraint(LinearExpression.Sum(variables.Select(v => 2.0 * v)) >= 1);
        model.AddConstraint(LinearExpression.Sum(variables) <= 50);

        Assert.Equal(200_000, model.NonZeroCount);
    }

    [Fact]
    public void WeightedSum_LengthMismatch_Throws()
    {
        var model = new MipModel();
        var x = model.AddContinuous();

        Assert.Throws<ArgumentException>(() => LinearExpression.WeightedSum([x], [1.0, 2.0]));
    }

    [Fact]
    public void ComparisonOperators_ExpressionOnBothSides_BuildDifference()
    {
        var model = new MipModel();
        var x = model.AddContinuous(name: "x");
        var y = model.AddContinuous(name: "y");

        var row = model.AddConstraint(x + 4 >= 2 * y + 1);
        var reversed = model.AddConstraint(3 <= (LinearExpression)x);

        Assert.Equal(-3.0, row.LowerBound);
        Assert.True(double.IsPositiveInfinity(row.UpperBound));
        Assert.Equal(3.0, reversed.LowerBound);
    }
}
