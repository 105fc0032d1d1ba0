namespace SageServe.Runtime.Cluster;

/// <summary>A membership-table operation kept losing storage-level races (not a version conflict) and gave up.</summary>
public sealed class MembershipTableContentionException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public MembershipTableContentionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MembershipTableContentionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates an empty exception.</summary>
    public MembershipTableContentionException() { }
}
