using System.Diagnostics;
using System.Globalization;
using SageServe.Planning.Solver;

namespace SageServe.Planning.Planner;

/// <summary>
/// SageServe's co-optimising planner (SPEC §5): one MIP over all models, regions, configurations and hours that
/// chooses instance counts, routes interactive load across allowed regions and schedules NIW work before its
/// deadlines at least cost. Solved with CBC; never throws on solver outcomes: it falls back instead.
/// </summary>
/// <remarks>
/// Formulation, for model i, regions j/j', configuration c (SKU, TP) of model i, hour t:
/// <code>
/// min  Σ price[c]·n[i,j,c,t] + Σ (startup[c] + δ)·a + Σ δ·r + Σ penalty[j→j']·x[i,j→j',t]
/// s.t. Σ_j' x[i,j→j',t] ≥ forecast[i,j,t]                   (allowed pairs only, j→j always)
///      Σ_j x[i,j→j',t] + y[i,j',t] ≤ Σ_c cap[c]·n[i,j',c,t]
///      Σ_{τ≤t} y[i,j,τ] ≥ NIW due by t;   Σ_τ y[i,j,τ] ≤ NIW queued
///      n[t] = n[t−1] + a[t] − r[t],  n[0] = current;   Σ_c n[i,j,c,t] ≥ floor
///      Σ_i Σ_{c on k} gpus[c]·n[i,j,c,t] ≤ quota[j,k];    Σ_c (a + r) ≤ damping (optional)
///      n integer ≥ 0; a, r, x, y ≥ 0
/// </code>
/// The formulation adds valid cover cuts (per model and hour, at least ⌈Σ forecast / largest capacity⌉ instances over
/// all regions, and likewise over the regions each home can route to); without them CBC could not close a 1% gap on
/// the 48-integer reference problem in 10 s, with them it takes tens of milliseconds.
/// <para>
/// Problems with several models and more than <see cref="PlannerOptions.DecomposeAboveIntegers"/> instance
/// variables are solved per model (models interact only through quotas): the quota-free per-model optima bound the
/// whole problem from below, broken quotas are repaired by re-solving the models involved with GPU allotments, and
/// <see cref="Plan.Gap"/> is reported against that bound. CBC alone finds no feasible plan for 20 regions × 50 models
/// × 3 SKUs in 10 s; the decomposition reaches &lt; 1% (docs/benchmarks-planner.md).
/// </para>
/// On <see cref="MipStatus.Feasible"/> (time limit hit with an incumbent) the incumbent is used. On infeasible,
/// unbounded, timed out without a solution, solver error or a missing solver, the result is a
/// <see cref="PlanStatus.Fallback"/> plan: the previous plan shifted one hour, else the current instances held.
/// </remarks>
public sealed class IlpPlanner
{
    private readonly IMipSolver _solver;
    private readonly PlannerOptions _options;

    /// <summary>Creates a planner.</summary>
    /// <param name="solver">The MIP solver; a <see cref="CbcSolver"/> when null.</param>
    /// <param name="options">Limits; <see cref="PlannerOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IlpPlanner(IMipSolver? solver = null, PlannerOptions? options = null)
    {
        _solver = solver ?? new CbcSolver();
        _options = options ?? PlannerOptions.Default;
        _options.Validate();
    }

    /// <summary>Solves <paramref name="problem"/>.</summary>
    /// <returns>The optimal or best-found plan, or a fallback plan whose <see cref="Plan.Explanation"/> says why.</returns>
    /// <exception cref="ArgumentException">The problem is malformed (unknown names, negative amounts, hours outside the horizon).</exception>
    public Plan Solve(PlanningProblem problem)
    {
        var index = new PlanningIndex(problem);
        var stopwatch = Stopwatch.StartNew();
        var integers = index.Regions.Length * index.Configs.Length * index.Hours;
        if (index.Models.Length > 1 && integers > _options.DecomposeAboveIntegers)
        {
            return PlannerDecomposition.Solve(index, this, _options, stopwatch);
        }

        return SolveWhole(index, _options.TimeLimit, _options.RelativeGap, stopwatch).Plan;
    }

    /// <summary>Solves <paramref name="index"/> as one MIP; also returns the proven lower bound (NaN without a solution)
    /// and, for a fallback, why.</summary>
    internal (Plan Plan, double Bound, string? Failure) SolveWhole(PlanningIndex index, TimeSpan timeLimit, double relativeGap, Stopwatch stopwatch)
    {
        var formulation = new PlannerFormulation(index);
        var model = formulation.Model;
        var options = new MipSolveOptions { TimeLimit = timeLimit, RelativeGap = relativeGap };
        var size = string.Create(CultureInfo.InvariantCulture,
            $"{model.Variables.Count} variables ({model.IntegerCount} integer), {model.Constraints.Count} constraints");
        MipResult result;
        try
        {
            result = _solver.Solve(model, options);
        }
        catch (SolverUnavailableException e)
        {
            var failure = $"the MIP solver is unavailable: {e.Message}";
            return (WithStats(PlanFallback.Create(index, failure), model, stopwatch.Elapsed, null, double.NaN), double.NaN, failure);
        }
        catch (InvalidOperationException e)
        {
            var failure = $"the MIP solver failed: {e.Message}";
            return (WithStats(PlanFallback.Create(index, failure), model, stopwatch.Elapsed, null, double.NaN), double.NaN, failure);
        }

        var elapsed = stopwatch.Elapsed;
        var limit = timeLimit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var bound = double.IsNaN(result.BestBound) ? result.ObjectiveValue : result.BestBound;
        switch (result.Status)
        {
            case MipStatus.Optimal:
                return (WithStats(
                    formulation.Extract(result, PlanStatus.Optimal, string.Create(CultureInfo.InvariantCulture,
                        $"co-optimising ILP solved to optimality (gap {Gap(result):P2} ≤ {relativeGap:P2}) in {elapsed.TotalMilliseconds:F0} ms; {size}")),
                    model, elapsed, result.Status, result.ObjectiveValue, Gap(result)), bound, null);
            case MipStatus.Feasible:
                return (WithStats(
                    formulation.Extract(result, PlanStatus.Feasible, string.Create(CultureInfo.InvariantCulture,
                        $"co-optimising ILP hit the {limit} s time limit; using the best incumbent (gap {Gap(result):P2}, requested {relativeGap:P2}); {size}")),
                    model, elapsed, result.Status, result.ObjectiveValue, Gap(result)), bound, null);
            default:
                var reason = result.Status switch
                {
                    MipStatus.Infeasible => "the ILP is infeasible (e.g. a quota below the floor, or damping too tight to reach the floor)",
                    MipStatus.TimedOutNoSolution => $"the ILP found no feasible plan within the {limit} s time limit",
                    MipStatus.Unbounded => "the ILP is unbounded (a negative cost?)",
                    _ => "the MIP solver reported an error",
                };
                return (WithStats(PlanFallback.Create(index, $"{reason}; {size}"), model, elapsed, result.Status, double.NaN), double.NaN, $"{reason}; {size}");
        }
    }

    private static double Gap(MipResult result) => double.IsNaN(result.Gap) ? 0.0 : result.Gap;

    private static Plan WithStats(Plan plan, MipModel model, TimeSpan elapsed, MipStatus? status, double objective, double gap = double.NaN) =>
        plan with
        {
            SolverStatus = status,
            SolveTime = elapsed,
            ObjectiveUsd = objective,
            Gap = gap,
            Variables = model.Variables.Count,
            IntegerVariables = model.IntegerCount,
            Constraints = model.Constraints.Count,
        };
}
