using System.Runtime.InteropServices;

namespace SageServe.Planning.Solver;

/// <summary>
/// P/Invoke declarations for the COIN-OR CBC C API (Cbc_C_Interface.h, CBC 2.10).
/// The logical library name is resolved by <see cref="CbcLibrary"/>; call <see cref="CbcLibrary.EnsureLoaded"/>
/// before any of these.
/// </summary>
internal static partial class CbcNative
{
    /// <summary>The name the resolver intercepts; never loaded under this name directly.</summary>
    internal const string LibraryName = "SageServe.Cbc";

    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_newModel();

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_deleteModel(nint model);

    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_getVersion();

    [LibraryImport(LibraryName)]
    internal static unsafe partial void Cbc_loadProblem(
        nint model,
        int numCols,
        int numRows,
        int* start,
        int* index,
        double* value,
        double* colLower,
        double* colUpper,
        double* objective,
        double* rowLower,
        double* rowUpper);

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setInteger(nint model, int column);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setColName(nint model, int column, string name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setRowName(nint model, int row, string name);

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setObjSense(nint model, double sense);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setParameter(nint model, string name, string value);

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setLogLevel(nint model, int logLevel);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_solve(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_status(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_secondaryStatus(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isProvenOptimal(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isProvenInfeasible(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isContinuousUnbounded(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isSecondsLimitReached(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isAbandoned(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isInitialSolveProvenPrimalInfeasible(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isInitialSolveAbandoned(nint model);

    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_getColSolution(nint model);

    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_bestSolution(nint model);

    [LibraryImport(LibraryName)]
    internal static partial double Cbc_getObjValue(nint model);

    [LibraryImport(LibraryName)]
    internal static partial double Cbc_getBestPossibleObjValue(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_getNumCols(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_getNodeCount(nint model);
}
