using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

/// <summary>
/// The behaviour every <see cref="IMembershipTable"/> must show. A provider's test class derives from this and supplies
/// a fresh, empty table per call.
/// </summary>
public abstract class MembershipTableContractTests
{
    private const int Racers = 8;
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a new, empty table.</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync();

    private static SiloAddress Silo(int i) => new($"10.1.0.{i}", 11111, 1000 + i, i % 2 == 0 ? "westus" : "eastus");

    private static MembershipEntry Entry(int i, SiloStatus status = SiloStatus.Active) => MembershipEntry.Create(Silo(i), status, s_t0.AddSeconds(i));

    [SkippableFact]
    public async Task ReadAllAsync_NewTable_IsEmptyAtVersionZero()
    {
        var table = await CreateTableAsync();

        var snapshot = await table.ReadAllAsync();

        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Entries);
    }

    [SkippableFact]
    public async Task InsertAsync_AtCurrentVersion_BumpsVersionAndRoundTripsEveryField()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Joining) with
        {
            IAmAliveTime = s_t0.AddSeconds(7.5),
            Suspicions = [new SiloSuspicion(Silo(2), s_t0.AddSeconds(3)), new SiloSuspicion(Silo(3), s_t0.AddSeconds(4))],
        };

        Assert.True(await table.InsertAsync(entry, expectedVersion: 0));

        var snapshot = await table.ReadAllAsync();
        Assert.Equal(1, snapshot.Version);
        var stored = Assert.Single(snapshot.Entries);
        Assert.Equal(entry.Address, stored.Address);
        Assert.Equal("eastus", stored.Region);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(entry.StartTime, stored.StartTime);
        Assert.Equal(entry.IAmAliveTime, stored.IAmAliveTime);
        Assert.Equal(entry.Suspicions, stored.Suspicions);
    }

    [SkippableFact]
    public async Task InsertAsync_StaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertAsync(Entry(1), 0));

        Assert.False(await table.InsertAsync(Entry(2), 0));

        var snapshot = await table.ReadAllAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(Silo(1), Assert.Single(snapshot.Entries).Address);
    }

    [SkippableFact]
    public async Task InsertAsync_AddressAlreadyPresent_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertAsync(Entry(1), 0));

        Assert.False(await table.InsertAsync(Entry(1, SiloStatus.Joining), 1));

        var snapshot = await table.ReadAllAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(snapshot.Entries).Status);
    }

    [SkippableFact]
    public async Task InsertAsync_ConcurrentFromSameVersion_ExactlyOneWins()
    {
        var table = await CreateTableAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, Racers).Select(i => Task.Run(() => table.InsertAsync(Entry(i), 0))));

        Assert.Equal(1, results.Count(won => won));
        var snapshot = await table.ReadAllAsync();
        Assert.Equal(1, snapshot.Version);
        var winner = Array.IndexOf(results, true) + 1;
        Assert.Equal(Silo(winner), Assert.Single(snapshot.Entries).Address);
    }

    [SkippableFact]
    public async Task InsertAsync_ConcurrentWithReadRetry_EveryoneGetsInOnceAndVersionCountsThem()
    {
        var table = await CreateTableAsync();

        await Task.WhenAll(Enumerable.Range(1, Racers).Select(i => Task.Run(async () =>
        {
            while (true)
            {
                var snapshot = await table.ReadAllAsync();
                if (await table.InsertAsync(Entry(i), snapshot.Version))
                {
                    return;
                }
            }
        })));

        var final = await table.ReadAllAsync();
        Assert.Equal(Racers, final.Version);
        Assert.Equal(Enumerable.Range(1, Racers).Select(Silo).Order(), final.Entries.Select(e => e.Address));
    }

    [SkippableFact]
    public async Task UpdateAsync_CurrentVersion_ReplacesRowAndBumpsVersion()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1, SiloStatus.Joining), 0);
        await table.InsertAsync(Entry(2), 1);

        Assert.True(await table.UpdateAsync(Entry(1) with { IAmAliveTime = s_t0.AddMinutes(1) }, 2));

        var snapshot = await table.ReadAllAsync();
        Assert.Equal(3, snapshot.Version);
        Assert.Equal(SiloStatus.Active, snapshot.Find(Silo(1))!.Status);
        Assert.Equal(s_t0.AddMinutes(1), snapshot.Find(Silo(1))!.IAmAliveTime);
        Assert.Equal(2, snapshot.Entries.Count);
    }

    [SkippableFact]
    public async Task UpdateAsync_StaleVersion_ReturnsFalseAndKeepsRow()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1), 0);
        await table.InsertAsync(Entry(2), 1);

        Assert.False(await table.UpdateAsync(Entry(1, SiloStatus.Dead), 1));

        var snapshot = await table.ReadAllAsync();
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(SiloStatus.Active, snapshot.Find(Silo(1))!.Status);
    }

    [SkippableFact]
    public async Task UpdateAsync_MissingRow_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1), 0);

        Assert.False(await table.UpdateAsync(Entry(2), 1));

        Assert.Equal(1, (await table.ReadAllAsync()).Version);
    }

    [SkippableFact]
    public async Task UpdateAsync_ConflictingVotesFromSameSnapshot_ExactlyOneWins()
    {
        var table = await CreateTableAsync();
        for (var i = 1; i <= 3; i++)
        {
            await table.InsertAsync(Entry(i), i - 1);
        }

        var seen = await table.ReadAllAsync();
        var target = seen.Find(Silo(3))!;

        var results = await Task.WhenAll(
            Task.Run(() => table.UpdateAsync(target with { Suspicions = [new SiloSuspicion(Silo(1), s_t0)] }, seen.Version)),
            Task.Run(() => table.UpdateAsync(target with { Suspicions = [new SiloSuspicion(Silo(2), s_t0)] }, seen.Version)));

        Assert.Equal(1, results.Count(won => won));
        var after = await table.ReadAllAsync();
        Assert.Equal(seen.Version + 1, after.Version);
        var winner = results[0] ? Silo(1) : Silo(2);
        Assert.Equal(winner, Assert.Single(after.Find(Silo(3))!.Suspicions).Suspecter);
    }

    [SkippableFact]
    public async Task UpdateAsync_DeadRowToActive_ThrowsAndKeepsItDead()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1, SiloStatus.Dead), 0);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => table.UpdateAsync(Entry(1, SiloStatus.Active), 1));

        Assert.Contains("new generation", ex.Message, StringComparison.Ordinal);
        Assert.Equal(SiloStatus.Dead, (await table.ReadAllAsync()).Find(Silo(1))!.Status);
    }

    [SkippableFact]
    public async Task UpdateIAmAliveAsync_AnyVersion_SetsTimeWithoutBumpingVersionOrBreakingVersionedWrites()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1), 0);
        await table.InsertAsync(Entry(2), 1);
        var seen = await table.ReadAllAsync();

        Assert.True(await table.UpdateIAmAliveAsync(Silo(2), s_t0.AddMinutes(5)));
        Assert.True(await table.UpdateAsync(seen.Find(Silo(1))! with { Status = SiloStatus.ShuttingDown }, seen.Version));

        var after = await table.ReadAllAsync();
        Assert.Equal(seen.Version + 1, after.Version);
        Assert.Equal(s_t0.AddMinutes(5), after.Find(Silo(2))!.IAmAliveTime);
        Assert.Equal(SiloStatus.ShuttingDown, after.Find(Silo(1))!.Status);
    }

    [SkippableFact]
    public async Task UpdateIAmAliveAsync_MissingRow_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1), 0);

        Assert.False(await table.UpdateIAmAliveAsync(Silo(9), s_t0));
    }

    [SkippableFact]
    public async Task UpdateIAmAliveAsync_ConcurrentWithVersionedUpdates_LosesNothing()
    {
        var table = await CreateTableAsync();
        for (var i = 1; i <= 4; i++)
        {
            await table.InsertAsync(Entry(i), i - 1);
        }

        var heartbeats = Enumerable.Range(1, 3).Select(i => Task.Run(async () =>
        {
            for (var beat = 1; beat <= 5; beat++)
            {
                Assert.True(await table.UpdateIAmAliveAsync(Silo(i), s_t0.AddSeconds(100 * i + beat)));
            }
        }));
        var voter = Task.Run(async () =>
        {
            for (var vote = 1; vote <= 5; vote++)
            {
                while (true)
                {
                    var seen = await table.ReadAllAsync();
                    var target = seen.Find(Silo(4))!;
                    var updated = target with { Suspicions = [.. target.Suspicions, new SiloSuspicion(Silo(1), s_t0.AddSeconds(vote))] };
                    if (await table.UpdateAsync(updated, seen.Version))
                    {
                        break;
                    }
                }
            }
        });
        await Task.WhenAll([.. heartbeats, voter]);

        var final = await table.ReadAllAsync();
        Assert.Equal(4 + 5, final.Version);
        Assert.Equal(5, final.Find(Silo(4))!.Suspicions.Count);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(s_t0.AddSeconds(100 * i + 5), final.Find(Silo(i))!.IAmAliveTime);
        }
    }

    [SkippableFact]
    public async Task ReadAllAsync_AfterEachWrite_VersionStrictlyIncreasesByOne()
    {
        var table = await CreateTableAsync();
        var versions = new List<long> { (await table.ReadAllAsync()).Version };

        await table.InsertAsync(Entry(1, SiloStatus.Joining), 0);
        versions.Add((await table.ReadAllAsync()).Version);
        await table.UpdateAsync(Entry(1), 1);
        versions.Add((await table.ReadAllAsync()).Version);
        await table.UpdateIAmAliveAsync(Silo(1), s_t0.AddSeconds(5));
        versions.Add((await table.ReadAllAsync()).Version);
        await table.UpdateAsync(Entry(1, SiloStatus.Dead), 2);
        versions.Add((await table.ReadAllAsync()).Version);
        await table.DeleteDeadEntriesAsync(s_t0.AddHours(1));
        versions.Add((await table.ReadAllAsync()).Version);

        Assert.Equal([0, 1, 2, 2, 3, 4], versions);
    }

    [SkippableFact]
    public async Task DeleteDeadEntriesAsync_RemovesOnlyDeadRowsOlderThanCutoff()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1, SiloStatus.Dead), 0);                                              // dead, heartbeat t0+1s: old
        await table.InsertAsync(Entry(2, SiloStatus.Dead) with { IAmAliveTime = s_t0.AddHours(2) }, 1);    // dead, recent
        await table.InsertAsync(Entry(3, SiloStatus.Active), 2);                                            // alive, old heartbeat
        await table.InsertAsync(Entry(4, SiloStatus.ShuttingDown), 3);

        var deleted = await table.DeleteDeadEntriesAsync(s_t0.AddHours(1));

        Assert.Equal(1, deleted);
        var snapshot = await table.ReadAllAsync();
        Assert.Equal(5, snapshot.Version);
        Assert.Equal([Silo(2), Silo(3), Silo(4)], snapshot.Entries.Select(e => e.Address));
    }

    [SkippableFact]
    public async Task DeleteDeadEntriesAsync_NothingToDelete_ReturnsZeroAndKeepsVersion()
    {
        var table = await CreateTableAsync();
        await table.InsertAsync(Entry(1), 0);

        Assert.Equal(0, await table.DeleteDeadEntriesAsync(s_t0.AddHours(1)));

        Assert.Equal(1, (await table.ReadAllAsync()).Version);
    }
}
