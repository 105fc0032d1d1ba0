using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValidAndDocumentedValues()
    {
        var options = new ClusterOptions().Validate();

        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatPeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DeathTimeout);
        Assert.Equal(2, options.NumVotesForDeath);
    }

    public static TheoryData<ClusterOptions, string> Invalid => new()
    {
        { new ClusterOptions { HeartbeatPeriod = TimeSpan.Zero }, nameof(ClusterOptions.HeartbeatPeriod) },
        { new ClusterOptions { TableRefreshPeriod = TimeSpan.FromSeconds(-1) }, nameof(ClusterOptions.TableRefreshPeriod) },
        { new ClusterOptions { ProbePeriod = TimeSpan.Zero }, nameof(ClusterOptions.ProbePeriod) },
        { new ClusterOptions { ProbeTimeout = TimeSpan.Zero }, nameof(ClusterOptions.ProbeTimeout) },
        { new ClusterOptions { DeathTimeout = TimeSpan.Zero }, nameof(ClusterOptions.DeathTimeout) },
        { new ClusterOptions { DeathTimeout = TimeSpan.FromSeconds(5) }, nameof(ClusterOptions.DeathTimeout) },
        { new ClusterOptions { SuspicionWindow = TimeSpan.Zero }, nameof(ClusterOptions.SuspicionWindow) },
        { new ClusterOptions { ProbeFailuresBeforeSuspect = 0 }, nameof(ClusterOptions.ProbeFailuresBeforeSuspect) },
        { new ClusterOptions { NumVotesForDeath = 0 }, nameof(ClusterOptions.NumVotesForDeath) },
        { new ClusterOptions { DeadEntryRetention = TimeSpan.Zero }, nameof(ClusterOptions.DeadEntryRetention) },
        { new ClusterOptions { DeadEntryCleanupPeriod = TimeSpan.Zero }, nameof(ClusterOptions.DeadEntryCleanupPeriod) },
        { new ClusterOptions { MaxWriteAttempts = 0 }, nameof(ClusterOptions.MaxWriteAttempts) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidOption_ThrowsNamingIt(ClusterOptions options, string name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => options.Validate());

        Assert.Equal(name, ex.ParamName);
        Assert.Contains("ClusterOptions." + name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MembershipAgentWithInvalidOptions_Throws()
    {
        var silo = new SiloAddress("h", 1, 1, "r");

        Assert.ThrowsAny<ArgumentException>(() => new MembershipAgent(silo, new InMemoryMembershipTable(), new FakeNetwork().ProberFor(silo), new ClusterOptions { NumVotesForDeath = 0 }, TimeProvider.System));
    }
}
