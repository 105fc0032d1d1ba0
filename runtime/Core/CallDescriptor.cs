using System.Reflection;

namespace SageServe.Runtime;

/// <summary>
/// What the runtime needs to know about one grain interface method: its name (for errors and traces), whether it may
/// interleave, and its deadline. Built once per method from the interface's attributes and cached by the reference.
/// </summary>
public sealed class CallDescriptor
{
    private CallDescriptor(string name, bool interleave, TimeSpan? timeout)
    {
        Name = name;
        Interleave = interleave;
        Timeout = timeout;
    }

    /// <summary><c>Interface.Method</c>.</summary>
    public string Name { get; }

    /// <summary>The method is marked <see cref="AlwaysInterleaveAttribute"/>.</summary>
    public bool Interleave { get; }

    /// <summary>A per-method deadline, or null for the silo default.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Describes <typeparamref name="TGrainInterface"/>.<paramref name="methodName"/> from its attributes.</summary>
    /// <exception cref="ArgumentException">No such method, or it is overloaded (grain methods must have unique names).</exception>
    public static CallDescriptor For<TGrainInterface>(string methodName)
        where TGrainInterface : IGrain
    {
        var methods = typeof(TGrainInterface).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Concat(typeof(TGrainInterface).GetInterfaces().SelectMany(i => i.GetMethods()))
            .Where(m => m.Name == methodName)
            .ToArray();
        if (methods.Length != 1)
        {
            throw new ArgumentException(
                methods.Length == 0
                    ? $"{typeof(TGrainInterface).Name} has no method {methodName}."
                    : $"{typeof(TGrainInterface).Name}.{methodName} is overloaded; grain methods need unique names.",
                nameof(methodName));
        }

        var method = methods[0];
        var timeout = method.GetCustomAttribute<CallTimeoutAttribute>()?.Timeout;
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{typeof(TGrainInterface).Name}.{methodName}: [CallTimeout] must be > 0.", nameof(methodName));
        }

        return new CallDescriptor(
            $"{typeof(TGrainInterface).Name}.{methodName}",
            method.GetCustomAttribute<AlwaysInterleaveAttribute>() is not null,
            timeout);
    }

    /// <summary>A descriptor for runtime-internal calls (timers).</summary>
    internal static CallDescriptor Internal(string name) => new(name, interleave: false, timeout: null);

    /// <inheritdoc />
    public override string ToString() => Name;
}
