using SageServe.Runtime.Cluster;

namespace SageServe.Runtime.Tests.Cluster;

public sealed class SiloAddressTests
{
    [Fact]
    public void ToString_Address_HostPortGenerationRegion()
    {
        var silo = new SiloAddress("10.0.0.1", 11111, 42, "westus");

        Assert.Equal("10.0.0.1:11111@42/westus", silo.ToString());
        Assert.Equal("10.0.0.1:11111", silo.Endpoint);
    }

    [Fact]
    public void Equality_SameEndpointNewGeneration_DifferentIdentitySameEndpoint()
    {
        var first = new SiloAddress("h", 1, 1, "westus");
        var restarted = new SiloAddress("h", 1, 2, "westus");

        Assert.NotEqual(first, restarted);
        Assert.True(first.SameEndpoint(restarted));
        Assert.NotEqual(first.StableHash(), restarted.StableHash());
        Assert.Equal(first, new SiloAddress("h", 1, 1, "westus"));
        Assert.Equal(first.StableHash(), new SiloAddress("h", 1, 1, "westus").StableHash());
    }

    [Fact]
    public void GenerationAt_LaterStart_LargerGeneration()
    {
        var start = new DateTimeOffset(2026, 11, 28, 17, 0, 0, TimeSpan.Zero);

        Assert.True(SiloAddress.GenerationAt(start.AddMilliseconds(1)) > SiloAddress.GenerationAt(start));
        Assert.Equal(1, SiloAddress.GenerationAt(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("", 1, 1, "r", "host")]
    [InlineData("a b", 1, 1, "r", "host")]
    [InlineData("h", 0, 1, "r", "port")]
    [InlineData("h", 70000, 1, "r", "port")]
    [InlineData("h", 1, 0, "r", "generation")]
    [InlineData("h", 1, 1, " ", "region")]
    public void Constructor_InvalidPart_ThrowsNamingIt(string host, int port, long generation, string region, string parameter)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new SiloAddress(host, port, generation, region));

        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void CompareTo_Addresses_OrdinalHostThenPortThenGeneration()
    {
        var ordered = new[]
        {
            new SiloAddress("a", 2, 1, "r"),
            new SiloAddress("a", 10, 1, "r"),
            new SiloAddress("a", 10, 2, "r"),
            new SiloAddress("b", 1, 1, "r"),
        };

        Assert.Equal(ordered, ordered.Reverse().Order());
    }
}
