namespace SageServe.Silo.Hosting;

/// <summary>An invalid silo option: <see cref="Option"/> names it, the message says what is wrong.</summary>
public sealed class SiloOptionException(string option, string problem) : Exception($"{option}: {problem}")
{
    /// <summary>The option, as typed on the command line.</summary>
    public string Option { get; } = option;
}
