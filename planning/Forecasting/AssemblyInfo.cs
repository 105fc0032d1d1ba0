using System.Runtime.CompilerServices;

// The numeric helpers (normal quantile, polynomial stability) are internal but worth testing directly.
[assembly: InternalsVisibleTo("SageServe.Planning.Tests")]
