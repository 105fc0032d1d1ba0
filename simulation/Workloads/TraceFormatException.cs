namespace SageServe.Simulation.Workloads;

/// <summary>
/// A trace (or profile) file is malformed. <see cref="Exception.Message"/> is one line,
/// <c>file:line: field: problem</c>, ready to show a user.
/// </summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">File name or description of the source (e.g. <c>&lt;stdin&gt;</c>).</param>
    /// <param name="line">1-based line number (the header is line 1 in CSV files).</param>
    /// <param name="field">Column or field the problem is in (e.g. <c>prompt_size</c>, <c>header</c>).</param>
    /// <param name="problem">What is wrong, short and without a trailing period.</param>
    /// <param name="inner">Underlying exception, if any.</param>
    public TraceFormatException(string file, long line, string field, string problem, Exception? inner = null)
        : base($"{file}:{line}: {field}: {problem}", inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file or source the problem is in.</summary>
    public string File { get; }

    /// <summary>1-based line number.</summary>
    public long Line { get; }

    /// <summary>The offending field or column.</summary>
    public string Field { get; }

    /// <summary>The problem without location.</summary>
    public string Problem { get; }
}
