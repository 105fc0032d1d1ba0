using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

public sealed class InMemoryMembershipTableTests : MembershipTableContractTests
{
    protected override Task<IMembershipTable> CreateTableAsync() => Task.FromResult<IMembershipTable>(new InMemoryMembershipTable());

    [Fact]
    public async Task InsertAsync_CallerMutatesSuspicionListAfterwards_StoredRowUnchanged()
    {
        var table = new InMemoryMembershipTable();
        var suspicions = new List<SiloSuspicion>();
        var silo = new SiloAddress("h", 1, 1, "westus");

        await table.InsertAsync(new MembershipEntry(silo, SiloStatus.Active, TestCluster.Epoch, TestCluster.Epoch, suspicions), 0);
        suspicions.Add(new SiloSuspicion(silo, TestCluster.Epoch));

        Assert.Empty((await table.ReadAllAsync()).Entries[0].Suspicions);
    }
}
