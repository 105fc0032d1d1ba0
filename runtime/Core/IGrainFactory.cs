namespace SageServe.Runtime;

/// <summary>Hands out references to grains. References are cheap to keep; activation happens on the first call.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The interface is not registered with the silo.</exception>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
