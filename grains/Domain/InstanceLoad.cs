namespace SageServe.Grains.Domain;

/// <summary>A snapshot of one model instance's load.</summary>
/// <param name="Running">Requests in the running batch.</param>
/// <param name="Waiting">Requests admitted to the instance but not yet in the batch.</param>
/// <param name="KvTokensReserved">KV-cache tokens reserved by running requests.</param>
/// <param name="KvTokensCapacity">KV-cache tokens the instance can hold.</param>
/// <param name="PendingTokens">Prompt + output tokens of every request not yet completed.</param>
public readonly record struct InstanceLoad(int Running, int Waiting, long KvTokensReserved, long KvTokensCapacity, long PendingTokens)
{
    /// <summary>KV utilisation in [0, 1].</summary>
    public double KvUtilisation => KvTokensCapacity == 0 ? 0 : (double)KvTokensReserved / KvTokensCapacity;
}
