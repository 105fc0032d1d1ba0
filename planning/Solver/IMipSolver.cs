namespace SageServe.Planning.Solver;

/// <summary>Solves a <see cref="MipModel"/>.</summary>
public interface IMipSolver
{
    /// <summary>
    /// Solves <paramref name="model"/>. Solver outcomes (infeasible, timed out, numerical failure) are reported in
    /// <see cref="MipResult.Status"/>, not thrown.
    /// </summary>
    /// <exception cref="SolverUnavailableException">The solver cannot run on this machine.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    MipResult Solve(MipModel model, MipSolveOptions options);
}
