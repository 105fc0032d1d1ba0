using SageServe.Runtime.Cluster;
using Xunit.Abstractions;

namespace SageServe.Runtime.Tests.Cluster;

public sealed class PlacementDirectorTests(ITestOutputHelper output)
{
    private const int GrainCount = 10_000;
    private static readonly DateTimeOffset s_t0 = TestCluster.Epoch;
    private static readonly List<GrainId> s_grains = Enumerable.Range(0, GrainCount).Select(i => new GrainId("session", $"user-{i}")).ToList();

    private static MembershipEntry Active(int i, string region = "westus", SiloStatus status = SiloStatus.Active) =>
        MembershipEntry.Create(new SiloAddress($"10.0.0.{i}", 11111, 1, region), status, s_t0.AddSeconds(i));

    private static MembershipSnapshot Snapshot(IEnumerable<MembershipEntry> entries) => new(1, entries.ToList());

    private static MembershipSnapshot Silos(int count) => Snapshot(Enumerable.Range(1, count).Select(i => Active(i)));

    [Fact]
    public void GetOwner_SameSnapshotInAnyOrderOnAnyDirector_SameOwner()
    {
        var snapshot = Silos(7);
        var reversed = snapshot with { Entries = snapshot.Entries.Reverse().ToList() };

        var first = s_grains.Select(g => new PlacementDirector().GetOwner(g, snapshot)).ToList();
        var second = s_grains.Select(g => new PlacementDirector().GetOwner(g, reversed)).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void GetOwner_FixedInputs_PinnedOwners()
    {
        // Every silo of a cluster must run the same placement function; this pins it against accidental change.
        var snapshot = Silos(5);

        var owners = Enumerable.Range(0, 8).Select(i => new PlacementDirector().GetOwner(new GrainId("session", $"pin-{i}"), snapshot)!.Host[^1]);

        Assert.Equal("35252452", string.Concat(owners));
        Assert.Equal(1176437811951390971UL, new SiloAddress("10.0.0.1", 11111, 1, "westus").StableHash());
    }

    [Fact]
    public void GetOwner_TenSilos_EachOwnsAboutATenth()
    {
        var snapshot = Silos(10);
        var director = new PlacementDirector();

        var counts = s_grains.GroupBy(g => director.GetOwner(g, snapshot)).ToDictionary(g => g.Key!, g => g.Count());

        output.WriteLine("grains per silo: " + string.Join(", ", counts.Values.Order()));
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 850, 1150));
    }

    [Fact]
    public void GetOwner_OneOfTenSilosRemoved_OnlyItsGrainsMoveAboutOneTenth()
    {
        var before = Silos(10);
        var removed = before.Entries[3].Address;
        var after = Snapshot(before.Entries.Where(e => e.Address != removed));
        var director = new PlacementDirector();

        var moves = s_grains
            .Select(g => (Before: director.GetOwner(g, before)!, After: director.GetOwner(g, after)!))
            .Where(m => m.Before != m.After)
            .ToList();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var grain in s_grains)
        {
            director.GetOwner(grain, after);
        }

        output.WriteLine($"GetOwner over 9 silos: {watch.Elapsed.TotalMilliseconds * 1e6 / GrainCount:F0} ns per lookup");
        var fraction = (double)moves.Count / GrainCount;
        output.WriteLine($"remove 1 of 10 silos: {moves.Count}/{GrainCount} grains moved = {fraction:P2} (ideal {1.0 / 10:P2})");
        Console.WriteLine($"[reshuffle] remove 1 of 10: moved {fraction:P2}");
        Assert.All(moves, m => Assert.Equal(removed, m.Before));
        Assert.InRange(fraction, 0.085, 0.115);

        // The orphans spread over the survivors rather than landing on one neighbour.
        Assert.Equal(9, moves.Select(m => m.After).Distinct().Count());
    }

    [Fact]
    public void GetOwner_EleventhSiloJoins_OnlyGrainsMovingToItMove()
    {
        var before = Silos(10);
        var after = Snapshot([.. before.Entries, Active(11)]);
        var director = new PlacementDirector();
        var newcomer = after.Entries[^1].Address;

        var moves = s_grains
            .Select(g => (Before: director.GetOwner(g, before)!, After: director.GetOwner(g, after)!))
            .Where(m => m.Before != m.After)
            .ToList();

        var fraction = (double)moves.Count / GrainCount;
        output.WriteLine($"add an 11th silo: {fraction:P2} moved (ideal {1.0 / 11:P2})");
        Console.WriteLine($"[reshuffle] add 11th: moved {fraction:P2}");
        Assert.All(moves, m => Assert.Equal(newcomer, m.After));
        Assert.InRange(fraction, 0.075, 0.107);
    }

    [Fact]
    public void GetOwner_NonActiveSilos_NeverOwners()
    {
        var snapshot = Snapshot([Active(1), Active(2, status: SiloStatus.Dead), Active(3, status: SiloStatus.Joining), Active(4, status: SiloStatus.ShuttingDown), Active(5)]);
        var director = new PlacementDirector();

        var owners = s_grains.Take(2000).Select(g => director.GetOwner(g, snapshot)!.Host).Distinct().Order().ToList();

        Assert.Equal(["10.0.0.1", "10.0.0.5"], owners);
        Assert.Equal("10.0.0.1", director.GetOwner(new GrainId("planner", "main"), snapshot)!.Host);
    }

    [Fact]
    public void GetOwner_NoActiveSilo_ReturnsNull()
    {
        var snapshot = Snapshot([Active(1, status: SiloStatus.Dead), Active(2, status: SiloStatus.Joining)]);

        Assert.Null(new PlacementDirector().GetOwner(new GrainId("session", "x"), snapshot));
        Assert.Null(PlacementDirector.GetSingletonOwner(snapshot));
    }

    [Theory]
    [InlineData("region", "westus", "westus")]
    [InlineData("instance", "eastus/llama-70b/3", "eastus")]
    [InlineData("instance", "centralus", "centralus")]
    [InlineData("vm", "westus/vm-3", "westus")]
    [InlineData("session", "westus/1", null)]
    [InlineData("region", "", null)]
    [InlineData("instance", "/x", null)]
    public void DefaultRegionOf_GrainKinds_RegionFromKeyPrefix(string type, string key, string? expected) =>
        Assert.Equal(expected, PlacementDirector.DefaultRegionOf(new GrainId(type, key)));

    [Fact]
    public void GetOwner_RegionTaggedGrains_StayInTheirRegionAndOthersSpreadEverywhere()
    {
        var snapshot = Snapshot([Active(1, "westus"), Active(2, "westus"), Active(3, "eastus"), Active(4, "eastus"), Active(5, "northeurope")]);
        var director = new PlacementDirector();
        var regionOf = snapshot.Entries.ToDictionary(e => e.Address, e => e.Region);

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal("westus", regionOf[director.GetOwner(new GrainId("instance", $"westus/model/{i}"), snapshot)!]);
            Assert.Equal("eastus", regionOf[director.GetOwner(new GrainId("instance", $"eastus/model/{i}"), snapshot)!]);
        }

        Assert.Equal("northeurope", regionOf[director.GetOwner(new GrainId("region", "northeurope"), snapshot)!]);
        var westOwners = Enumerable.Range(0, 500).Select(i => director.GetOwner(new GrainId("instance", $"westus/m/{i}"), snapshot)).Distinct().Count();
        Assert.Equal(2, westOwners);
        var untagged = s_grains.Take(2000).Select(g => regionOf[director.GetOwner(g, snapshot)!]).Distinct().Count();
        Assert.Equal(3, untagged);
    }

    [Fact]
    public void GetOwner_RegionWithoutActiveSilo_FallsBackToAllActive()
    {
        var snapshot = Snapshot([Active(1, "westus"), Active(2, "eastus"), Active(3, "southindia", SiloStatus.Dead)]);
        var director = new PlacementDirector();

        var owners = Enumerable.Range(0, 400).Select(i => director.GetOwner(new GrainId("instance", $"southindia/m/{i}"), snapshot)!.Region).Distinct().Order().ToList();

        Assert.Equal(["eastus", "westus"], owners);
    }

    [Fact]
    public void GetOwner_CustomRegionOf_IsUsed()
    {
        var snapshot = Snapshot([Active(1, "westus"), Active(2, "eastus")]);
        var director = new PlacementDirector(regionOf: _ => "eastus");

        Assert.All(s_grains.Take(200), g => Assert.Equal("eastus", director.GetOwner(g, snapshot)!.Region));
    }

    [Fact]
    public void GetSingletonOwner_OldestDies_MovesToNextOldest()
    {
        var entries = new List<MembershipEntry> { Active(3), Active(1), Active(2) };
        var director = new PlacementDirector();
        var planner = new GrainId("planner", "global");
        Assert.Equal("10.0.0.1", director.GetOwner(planner, Snapshot(entries))!.Host);

        entries[1] = entries[1] with { Status = SiloStatus.Dead };

        Assert.Equal("10.0.0.2", director.GetOwner(planner, Snapshot(entries))!.Host);
        Assert.Equal("10.0.0.2", PlacementDirector.GetSingletonOwner(Snapshot(entries))!.Host);
    }

    [Fact]
    public void GetSingletonOwner_SameStartTime_LowestAddressWins()
    {
        var a = MembershipEntry.Create(new SiloAddress("10.0.0.9", 11111, 5, "westus"), SiloStatus.Active, s_t0);
        var b = MembershipEntry.Create(new SiloAddress("10.0.0.10", 11111, 5, "westus"), SiloStatus.Active, s_t0);

        // Ordinal: "10.0.0.10" < "10.0.0.9".
        Assert.Equal("10.0.0.10", PlacementDirector.GetSingletonOwner(Snapshot([a, b]))!.Host);
        Assert.Equal("10.0.0.10", PlacementDirector.GetSingletonOwner(Snapshot([b, a]))!.Host);
    }
}
