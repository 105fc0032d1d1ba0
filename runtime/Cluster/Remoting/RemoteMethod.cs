namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>
/// Runs one grain interface method for a call that arrived from another silo: decodes the argument, calls the method
/// on a local reference (so the call takes its turn like any other), encodes the result.
/// </summary>
internal abstract class RemoteMethod
{
    /// <summary>Invokes the method on <paramref name="reference"/> (the interface's reference object).</summary>
    public abstract ValueTask<byte[]> InvokeAsync(object reference, ReadOnlyMemory<byte> argument);

    /// <summary>Builds the invoker for <paramref name="method"/> of <paramref name="grainInterface"/>.</summary>
    /// <exception cref="ArgumentException">The method does not have the grain-method shape (one parameter; Task or ValueTask, with or without a result).</exception>
    public static RemoteMethod For(Type grainInterface, System.Reflection.MethodInfo method)
    {
        var parameters = method.GetParameters();
        if (parameters.Length != 1)
        {
            throw new ArgumentException($"{grainInterface.Name}.{method.Name} takes {parameters.Length} parameters; a grain method takes exactly one to be callable across silos.");
        }

        var arg = parameters[0].ParameterType;
        var returns = method.ReturnType;
        Type invoker;
        Type func;
        if (returns == typeof(ValueTask))
        {
            invoker = typeof(VoidValueTaskMethod<,>).MakeGenericType(grainInterface, arg);
            func = typeof(Func<,,>).MakeGenericType(grainInterface, arg, returns);
        }
        else if (returns == typeof(Task))
        {
            invoker = typeof(VoidTaskMethod<,>).MakeGenericType(grainInterface, arg);
            func = typeof(Func<,,>).MakeGenericType(grainInterface, arg, returns);
        }
        else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            invoker = typeof(ValueTaskMethod<,,>).MakeGenericType(grainInterface, arg, returns.GetGenericArguments()[0]);
            func = typeof(Func<,,>).MakeGenericType(grainInterface, arg, returns);
        }
        else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            invoker = typeof(TaskMethod<,,>).MakeGenericType(grainInterface, arg, returns.GetGenericArguments()[0]);
            func = typeof(Func<,,>).MakeGenericType(grainInterface, arg, returns);
        }
        else
        {
            throw new ArgumentException($"{grainInterface.Name}.{method.Name} returns {returns.Name}; grain methods return Task or ValueTask.");
        }

        var call = Delegate.CreateDelegate(func, method);
        return (RemoteMethod)Activator.CreateInstance(invoker, call)!;
    }

    private sealed class ValueTaskMethod<TGrain, TArg, TResult>(Func<TGrain, TArg, ValueTask<TResult>> call) : RemoteMethod
    {
        public override async ValueTask<byte[]> InvokeAsync(object reference, ReadOnlyMemory<byte> argument) =>
            RemoteSerializer.Serialize(await call((TGrain)reference, RemoteSerializer.Deserialize<TArg>(argument.Span)).ConfigureAwait(false));
    }

    private sealed class TaskMethod<TGrain, TArg, TResult>(Func<TGrain, TArg, Task<TResult>> call) : RemoteMethod
    {
        public override async ValueTask<byte[]> InvokeAsync(object reference, ReadOnlyMemory<byte> argument) =>
            RemoteSerializer.Serialize(await call((TGrain)reference, RemoteSerializer.Deserialize<TArg>(argument.Span)).ConfigureAwait(false));
    }

    private sealed class VoidValueTaskMethod<TGrain, TArg>(Func<TGrain, TArg, ValueTask> call) : RemoteMethod
    {
        public override async ValueTask<byte[]> InvokeAsync(object reference, ReadOnlyMemory<byte> argument)
        {
            await call((TGrain)reference, RemoteSerializer.Deserialize<TArg>(argument.Span)).ConfigureAwait(false);
            return [];
        }
    }

    private sealed class VoidTaskMethod<TGrain, TArg>(Func<TGrain, TArg, Task> call) : RemoteMethod
    {
        public override async ValueTask<byte[]> InvokeAsync(object reference, ReadOnlyMemory<byte> argument)
        {
            await call((TGrain)reference, RemoteSerializer.Deserialize<TArg>(argument.Span)).ConfigureAwait(false);
            return [];
        }
    }
}
