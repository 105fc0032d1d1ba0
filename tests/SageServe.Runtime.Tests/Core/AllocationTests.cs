using SageServe.Runtime.Diagnostics;

namespace SageServe.Runtime.Tests.Core;

/// <summary>A local grain call allocates nothing on the caller's side or in the runtime (pooled requests, no closures).</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void LocalCall_DeterministicScheduler_ZeroBytesPerCall(int outstanding)
    {
        // Counted on the one thread the deterministic scheduler runs everything on: exact, not a timing.
        var result = RuntimeBenchmark.Deterministic(20_000, outstanding);

        Assert.True(result.BytesPerCall < 0.5, $"{result.BytesPerCall:F2} bytes per call ({result.AllocatedBytes:N0} bytes for {result.Calls:N0} calls)");
    }
}
