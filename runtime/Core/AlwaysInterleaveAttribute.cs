namespace SageServe.Runtime;

/// <summary>
/// Marks a grain interface method whose calls may run while another call to the same activation is in progress
/// (e.g. a read-only status query). Unmarked methods run one turn at a time.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Overrides the silo's default call deadline for one grain interface method.</summary>
/// <param name="seconds">The deadline in seconds, &gt; 0.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class CallTimeoutAttribute(double seconds) : Attribute
{
    /// <summary>The deadline.</summary>
    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(seconds);
}
