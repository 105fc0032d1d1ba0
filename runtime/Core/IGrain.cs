namespace SageServe.Runtime;

/// <summary>Marker for grain interfaces. Every method returns <see cref="Task"/>, <see cref="ValueTask"/> or their generic forms.</summary>
public interface IGrain;

/// <summary>Marker for grain interfaces whose key is a string (all of ours).</summary>
public interface IGrainWithStringKey : IGrain;
