namespace SageServe.Runtime.Execution;

/// <summary>The result type of calls to methods that return no value.</summary>
internal readonly struct VoidResult;
