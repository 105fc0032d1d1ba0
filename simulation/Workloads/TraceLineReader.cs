using System.Text;

namespace SageServe.Simulation.Workloads;

/// <summary>Reads lines with 1-based numbering and rejects binary content (NUL bytes, undecodable UTF-8).</summary>
internal sealed class TraceLineReader(TextReader reader, string source)
{
    public string Source { get; } = source;

    public long LineNumber { get; private set; }

    /// <summary>
    /// Opens a file as UTF-8. Invalid bytes decode to U+FFFD, which <see cref="ReadLine"/> then reports on the exact
    /// line (a throwing decoder would fail a whole buffer ahead of the line being read).
    /// </summary>
    public static StreamReader OpenFile(string path) =>
        new(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    public string? ReadLine()
    {
        string? line;
        try
        {
            line = reader.ReadLine();
        }
        catch (DecoderFallbackException ex)
        {
            throw Error(LineNumber + 1, "encoding", "invalid UTF-8 (binary file?)", ex);
        }

        if (line is null)
        {
            return null;
        }

        LineNumber++;
        int bad = line.AsSpan().IndexOfAny('\0', '\uFFFD');
        if (bad >= 0)
        {
            throw Error(LineNumber, "encoding", line[bad] == '\0' ? "NUL byte (binary file?)" : "invalid UTF-8 (binary file?)");
        }

        return line;
    }

    public TraceFormatException Error(long line, string field, string problem, Exception? inner = null) =>
        new(Source, line, field, problem, inner);

    public TraceFormatException Error(string field, string problem) => new(Source, LineNumber, field, problem);
}
