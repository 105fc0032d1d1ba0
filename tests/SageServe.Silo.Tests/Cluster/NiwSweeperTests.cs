using SageServe.Runtime.Storage;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Tests.Cluster;

/// <summary>The sweep finds job ids from blob names: it must read back exactly what storage escaped.</summary>
public sealed class NiwSweeperTests
{
    [Theory]
    [InlineData("niw-0efc05343e5d4c0cb0436def43321e44")]
    [InlineData("job_with.dots:and/slashes")]
    [InlineData("ünïcode-κλειδί")]
    public void UnescapeKey_EscapedSegment_RoundTrips(string jobId) =>
        Assert.Equal(jobId, NiwSweeper.UnescapeKey(StorageNameEscaper.EscapeSegment(jobId)));

    [Theory]
    [InlineData("~")]      // the empty key
    [InlineData("abc~4")]  // truncated escape
    [InlineData("abc~ZZ")] // not hex
    public void UnescapeKey_NotAnEscapedKey_Null(string segment) => Assert.Null(NiwSweeper.UnescapeKey(segment));

    [Fact]
    public void UnescapeKey_HashedLongKey_NullBecauseItCannotBeReversed() =>
        Assert.Null(NiwSweeper.UnescapeKey(StorageNameEscaper.EscapeSegment(new string('x', 300))));
}
