using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SageServe.Planning.Solver;

/// <summary>
/// Solves <see cref="MipModel"/>s with COIN-OR CBC 2.10 through its C API (<c>libCbcSolver.so.3</c>, Debian
/// package <c>coinor-libcbc3</c>). Single-threaded search, solver logging off.
/// </summary>
/// <remarks>
/// CBC keeps process-wide state in its command-line driver, so it is not safe to run two models at once in one
/// process: every <see cref="Solve"/> in the process is serialised on one lock. Concurrent callers wait.
/// <para>
/// <see cref="MipStatus.Optimal"/> means optimal within <see cref="MipSolveOptions.RelativeGap"/>; check
/// <see cref="MipResult.Gap"/>. The time limit is wall-clock ("timeMode elapsed") but CBC only checks it between
/// phases, so big models can overrun it (a 50k-column, 10k-row covering MIP given 60 s returned after 76 s).
/// </para>
/// </remarks>
public sealed class CbcSolver : IMipSolver
{
    // CBC treats magnitudes at or above its own infinity (COIN_DBL_MAX) as unbounded; IEEE infinity is not promised to work.
    private const double CbcInfinity = double.MaxValue;
    private const double IntegralityTolerance = 1e-6;
    private static readonly Lock s_solveGate = new();

    private readonly IReadOnlyList<string> _libraryCandidates;

    /// <summary>Creates a solver that loads <c>libCbcSolver.so.3</c> on first use.</summary>
    public CbcSolver()
        : this(CbcLibrary.DefaultCandidates)
    {
    }

    /// <summary>Test hook: a solver that probes <paramref name="libraryCandidates"/> (names or paths) instead.</summary>
    internal CbcSolver(IReadOnlyList<string> libraryCandidates)
    {
        _libraryCandidates = libraryCandidates;
    }

    /// <summary>The version string reported by the loaded CBC library, e.g. "2.10.8".</summary>
    /// <exception cref="SolverUnavailableException">CBC is not installed.</exception>
    public string Version
    {
        get
        {
            CbcLibrary.EnsureLoaded(_libraryCandidates);
            return Marshal.PtrToStringUTF8(CbcNative.Cbc_getVersion()) ?? "unknown";
        }
    }

    /// <inheritdoc />
    /// <exception cref="SolverUnavailableException">CBC (<c>libCbcSolver.so.3</c>) is not installed.</exception>
    public MipResult Solve(MipModel model, MipSolveOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CbcLibrary.EnsureLoaded(_libraryCandidates);

        lock (s_solveGate)
        {
            var stopwatch = Stopwatch.StartNew();
            var handle = CbcNative.Cbc_newModel();
            if (handle == 0)
            {
                throw new InvalidOperationException("Cbc_newModel returned null (out of memory?)");
            }

            try
            {
                Load(handle, model, options);
                CbcNative.Cbc_solve(handle);
                return ReadResult(handle, model, stopwatch);
            }
            finally
            {
                CbcNative.Cbc_deleteModel(handle);
            }
        }
    }

    private static unsafe void Load(nint handle, MipModel model, MipSolveOptions options)
    {
        var problem = model.ToColumnMajor();
        ClampInfinities(problem.ColumnLower);
        ClampInfinities(problem.ColumnUpper);
        ClampInfinities(problem.RowLower);
        ClampInfinities(problem.RowUpper);

        fixed (int* starts = problem.ColumnStarts)
        fixed (int* rows = problem.RowIndices)
        fixed (double* values = problem.Values)
        fixed (double* colLower = problem.ColumnLower)
        fixed (double* colUpper = problem.ColumnUpper)
        fixed (double* objective = problem.Objective)
        fixed (double* rowLower = problem.RowLower)
        fixed (double* rowUpper = problem.RowUpper)
        {
            CbcNative.Cbc_loadProblem(
                handle, problem.ColumnLower.Length, problem.RowLower.Length, starts, rows, values, colLower, colUpper, objective, rowLower, rowUpper);
        }

        foreach (var variable in model.Variables)
        {
            if (variable.IsInteger)
            {
                CbcNative.Cbc_setInteger(handle, variable.Index);
            }
        }

        if (options.PassNames)
        {
            foreach (var variable in model.Variables)
            {
                CbcNative.Cbc_setColName(handle, variable.Index, variable.Name);
            }

            foreach (var constraint in model.Constraints)
            {
                CbcNative.Cbc_setRowName(handle, constraint.Index, constraint.Name);
            }
        }

        // Maximisation is loaded negated (see ToColumnMajor) so the sense is always minimise; CBC's bound then
        // needs no sign guessing.
        CbcNative.Cbc_setObjSense(handle, 1.0);

        // CBC 2.10's Cbc_solve runs its command-line driver, which reads these string parameters. The typed log
        // level is needed as well: without it the LP-only path prints Clp's presolve report to stdout.
        CbcNative.Cbc_setLogLevel(handle, 0);
        CbcNative.Cbc_setParameter(handle, "log", "0");
        CbcNative.Cbc_setParameter(handle, "slog", "0");
        CbcNative.Cbc_setParameter(handle, "threads", "1");
        CbcNative.Cbc_setParameter(handle, "ratioGap", Format(options.RelativeGap));
        if (options.TimeLimit is { } limit)
        {
            // Planner deadlines are wall-clock; CBC's default counts CPU time, which lags on a busy machine.
            CbcNative.Cbc_setParameter(handle, "timeMode", "elapsed");
            CbcNative.Cbc_setParameter(handle, "seconds", Format(limit.TotalSeconds));
        }
    }

    private static MipResult ReadResult(nint handle, MipModel model, Stopwatch stopwatch)
    {
        var status = Classify(handle, model);
        var values = status is MipStatus.Optimal or MipStatus.Feasible ? ReadValues(handle, model) : null;
        if (values is null && status is MipStatus.Optimal or MipStatus.Feasible)
        {
            status = MipStatus.Error; // CBC claimed success but exposes no solution vector
        }

        var objective = values is null ? double.NaN : model.ObjectiveOf(values);
        var bound = double.NaN;
        if (values is not null)
        {
            // The problem was loaded as a minimisation (maximisation negated), so undo the sign here.
            var sign = model.Sense == ObjectiveSense.Maximize ? -1.0 : 1.0;
            var rawBound = CbcNative.Cbc_getBestPossibleObjValue(handle);
            bound = Math.Abs(rawBound) < 1e30 ? (sign * rawBound) + model.ObjectiveConstant : double.NaN;
            if (status == MipStatus.Optimal && double.IsNaN(bound))
            {
                bound = objective;
            }
        }

        stopwatch.Stop();
        return new MipResult(model, status, values, objective, bound, stopwatch.Elapsed);
    }

    private static MipStatus Classify(nint handle, MipModel model)
    {
        var infeasible = CbcNative.Cbc_isProvenInfeasible(handle) != 0;
        var unbounded = CbcNative.Cbc_isContinuousUnbounded(handle) != 0;
        var lpAbandoned = CbcNative.Cbc_isInitialSolveAbandoned(handle) != 0;
        var secondary = CbcNative.Cbc_secondaryStatus(handle);
        if (model.IntegerCount == 0 && infeasible && !lpAbandoned
            && CbcNative.Cbc_isInitialSolveProvenPrimalInfeasible(handle) == 0)
        {
            // Without integers CBC never branches and reports an unbounded LP as "proven infeasible"; only the
            // initial-solve flag tells them apart (primal infeasible is set for a truly infeasible LP).
            return MipStatus.Unbounded;
        }

        if (unbounded || secondary == 7)
        {
            return MipStatus.Unbounded;
        }

        if (infeasible || secondary == 1)
        {
            return MipStatus.Infeasible;
        }

        if (HasIncumbent(handle, model))
        {
            return CbcNative.Cbc_isProvenOptimal(handle) != 0 ? MipStatus.Optimal : MipStatus.Feasible;
        }

        var timeLimitHit = CbcNative.Cbc_isSecondsLimitReached(handle) != 0
            || (CbcNative.Cbc_status(handle) == 1 && secondary == 4);
        return timeLimitHit && !lpAbandoned ? MipStatus.TimedOutNoSolution : MipStatus.Error;
    }

    private static bool HasIncumbent(nint handle, MipModel model) =>
        SolutionPointer(handle, model) != 0;

    /// <summary>
    /// Cbc_bestSolution is null until an integer-feasible incumbent exists. For a pure LP CBC never runs
    /// branch-and-bound, so the LP solution is the answer when it is proven optimal.
    /// </summary>
    private static nint SolutionPointer(nint handle, MipModel model)
    {
        var best = CbcNative.Cbc_bestSolution(handle);
        if (best == 0 && model.IntegerCount == 0 && CbcNative.Cbc_isProvenOptimal(handle) != 0)
        {
            best = CbcNative.Cbc_getColSolution(handle);
        }

        return best;
    }

    private static unsafe double[]? ReadValues(nint handle, MipModel model)
    {
        var pointer = SolutionPointer(handle, model);
        if (pointer == 0)
        {
            return null;
        }

        var values = new ReadOnlySpan<double>((double*)pointer, model.Variables.Count).ToArray();
        foreach (var variable in model.Variables)
        {
            // CBC accepts integers within its tolerance (e.g. 2.9999999); callers count instances, so snap them.
            var rounded = Math.Round(values[variable.Index]);
            if (variable.IsInteger && Math.Abs(rounded - values[variable.Index]) <= IntegralityTolerance)
            {
                values[variable.Index] = rounded;
            }
        }

        return values;
    }

    private static void ClampInfinities(double[] values)
    {
        for (var k = 0; k < values.Length; k++)
        {
            if (double.IsPositiveInfinity(values[k]))
            {
                values[k] = CbcInfinity;
            }
            else if (double.IsNegativeInfinity(values[k]))
            {
                values[k] = -CbcInfinity;
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
