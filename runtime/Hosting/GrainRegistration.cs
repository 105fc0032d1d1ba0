namespace SageServe.Runtime.Hosting;

/// <summary>How the silo makes one grain type: its type name, its implementation factory and its reference factory.</summary>
internal sealed record GrainRegistration(
    string TypeName,
    Type InterfaceType,
    Func<Grain> Create,
    Func<GrainReference, object> CreateReference);
