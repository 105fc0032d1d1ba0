using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Grains.Workers;
using SageServe.Grains.Workers.Native;

namespace SageServe.Grains.Tests.Workers;

/// <summary>The native worker driver against the real libsageserve_native engine.</summary>
public sealed class NativeWorkerDriverTests
{
    private static readonly TimeProvider s_time = TimeProvider.System;

    /// <summary>Exactly one engine step per AdvanceTo, so a test can observe the states in between.</summary>
    private static readonly NativeWorkerDriverOptions s_oneStep = new() { MinSlice = TimeSpan.Zero, MaxSlice = TimeSpan.Zero };

    private static InferenceRequest Request(long id, int prompt, int output, Tier tier = Tier.Interactive) =>
        new(id, TimeSpan.Zero, new ModelId("A"), tier, ImmutableArray.Create(new RegionId("westus")), prompt, output);

    /// <summary>Advances until idle, bounded by a step count (each call runs at least one step), never by sleeping.</summary>
    private static List<WorkerCompletion> RunToIdle(NativeWorkerDriver driver, int maxCalls = 100_000)
    {
        var completed = new List<WorkerCompletion>();
        for (var i = 0; i < maxCalls && driver.NextEventAt is not null; i++)
        {
            driver.AdvanceTo(s_time.GetUtcNow(), completed);
        }

        Assert.Null(driver.NextEventAt);
        return completed;
    }

    [NativeFact]
    public void AdvanceTo_AfterSubmit_CompletesEveryRequestWithOrderedTimestamps()
    {
        using var driver = new NativeWorkerDriver(new NativeWorkerDriverOptions(), s_time);
        var submittedAt = s_time.GetUtcNow();
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(driver.TrySubmit(Request(i, 64 * i, 8), submittedAt, out var reason), reason);
        }

        Assert.NotNull(driver.NextEventAt);
        var completed = RunToIdle(driver);

        Assert.Equal([1L, 2L, 3L], completed.Select(c => c.Request.Id).Order());
        foreach (var c in completed)
        {
            Assert.Equal(submittedAt, c.SubmittedAt);
            Assert.True(c.FirstTokenAt >= c.SubmittedAt, $"first token {c.FirstTokenAt:O} before submit {c.SubmittedAt:O}");
            Assert.True(c.CompletedAt > c.FirstTokenAt, $"8 output tokens but completed {c.CompletedAt:O} at first token {c.FirstTokenAt:O}");
            Assert.True(c.CompletedAt - c.SubmittedAt < TimeSpan.FromSeconds(30), $"took {c.CompletedAt - c.SubmittedAt}");
        }

        var stats = driver.Engine.GetStats();
        Assert.Equal(3, stats.Completed);
        Assert.Equal(24, stats.TokensGenerated);
        Assert.Equal(new InstanceLoad(0, 0, 0, driver.KvCapacityTokens, 0), driver.Load);
        Assert.True(driver.MeanStepTime > TimeSpan.Zero);
    }

    [NativeFact]
    public void TrySubmit_LargerThanTheWholeKvCache_RefusedWithReason()
    {
        using var driver = new NativeWorkerDriver(new NativeWorkerDriverOptions { Engine = new NativeEngineOptions { MaxKvTokens = 256 } }, s_time);

        Assert.False(driver.TrySubmit(Request(1, 300, 10), s_time.GetUtcNow(), out var reason));

        Assert.NotNull(reason);
        Assert.Contains("KV cache full", reason, StringComparison.Ordinal);
        Assert.Contains("256 tokens", reason, StringComparison.Ordinal);
        Assert.Null(driver.NextEventAt);
        Assert.Equal(0, driver.Load.PendingTokens);
    }

    [NativeFact]
    public void TrySubmit_EmptyOutput_RefusedWithReason()
    {
        using var driver = new NativeWorkerDriver(new NativeWorkerDriverOptions(), s_time);

        Assert.False(driver.TrySubmit(Request(1, 10, 0), s_time.GetUtcNow(), out var reason));
        Assert.Contains("output token", reason, StringComparison.Ordinal);
    }

    [NativeFact]
    public void TrySubmit_KvFullForNow_WaitsAndRunsAfterTheFirstCompletes()
    {
        using var driver = new NativeWorkerDriver(new NativeWorkerDriverOptions { Engine = new NativeEngineOptions { MaxKvTokens = 256 } }, s_time);
        var now = s_time.GetUtcNow();

        Assert.True(driver.TrySubmit(Request(1, 190, 10), now, out _));
        Assert.True(driver.TrySubmit(Request(2, 190, 10), now, out _));

        // 200 tokens are 13 pages of 16: the first holds 208 of 256 tokens, the second waits in the driver.
        Assert.Equal(new InstanceLoad(0, 2, 208, 256, 400), driver.Load);
        var completed = RunToIdle(driver);
        Assert.Equal([1L, 2L], completed.Select(c => c.Request.Id));
        Assert.True(completed[1].FirstTokenAt >= completed[0].CompletedAt, "the second request was prefilled before the first freed its pages");
    }

    [NativeFact]
    public void Load_AfterOneStep_CountsRunningAndWaiting()
    {
        using var driver = new NativeWorkerDriver(s_oneStep, s_time);
        var now = s_time.GetUtcNow();
        driver.TrySubmit(Request(1, 32, 50), now, out _);
        driver.TrySubmit(Request(2, 32, 50), now, out _);
        Assert.Equal(2, driver.Load.Waiting);
        Assert.Equal(0, driver.Load.Running);

        var completed = new List<WorkerCompletion>();
        driver.AdvanceTo(s_time.GetUtcNow(), completed);
        driver.TrySubmit(Request(3, 32, 50), s_time.GetUtcNow(), out _);

        var load = driver.Load;
        Assert.Empty(completed);
        Assert.Equal(2, load.Running);
        Assert.Equal(1, load.Waiting);
        Assert.Equal(3 * 82, load.PendingTokens);
        Assert.Equal(3 * 96, load.KvTokensReserved); // 82 tokens round up to 6 pages of 16
        Assert.Equal(1, driver.Engine.GetStats().Steps);
    }

    [NativeFact]
    public void Abort_WithRunningAndWaitingRequests_ReturnsAllAndRestartsEmpty()
    {
        using var driver = new NativeWorkerDriver(s_oneStep with { Engine = new NativeEngineOptions { MaxKvTokens = 256 } }, s_time);
        var now = s_time.GetUtcNow();
        driver.TrySubmit(Request(1, 100, 20), now, out _);
        driver.TrySubmit(Request(2, 100, 20), now, out _);
        driver.TrySubmit(Request(3, 100, 20, Tier.NonInteractive), now, out _); // does not fit yet: waits in the driver
        driver.AdvanceTo(s_time.GetUtcNow(), new List<WorkerCompletion>());
        Assert.Equal(2, driver.Load.Running);

        var lost = driver.Abort();

        Assert.Equal([1L, 2L, 3L], lost.Select(r => r.Id).Order());
        Assert.Equal(new InstanceLoad(0, 0, 0, 256, 0), driver.Load);
        Assert.Null(driver.NextEventAt);
        Assert.Equal(0, driver.Engine.GetStats().Completed);

        Assert.True(driver.TrySubmit(Request(4, 100, 5), s_time.GetUtcNow(), out _));
        Assert.Equal([4L], RunToIdle(driver).Select(c => c.Request.Id));
    }

    [NativeFact]
    public void Dispose_Twice_DestroysTheEngineOnceAndLeavesTheDriverUnusable()
    {
        var driver = new NativeWorkerDriver(new NativeWorkerDriverOptions(), s_time);
        Assert.False(driver.Engine.IsDisposed);

        driver.Dispose();
        driver.Dispose();

        Assert.True(driver.Engine.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => driver.TrySubmit(Request(1, 10, 10), s_time.GetUtcNow(), out _));
    }

    [NativeFact]
    public void Factory_Dispose_DestroysEveryEngineItCreated()
    {
        var factory = new NativeWorkerDriverFactory(new NativeWorkerDriverOptions(), s_time);
        var a = (NativeWorkerDriver)factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/0");
        var b = (NativeWorkerDriver)factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/1");
        Assert.Equal(2, factory.Created);

        factory.Dispose();
        factory.Dispose();

        Assert.True(a.Engine.IsDisposed);
        Assert.True(b.Engine.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/2"));
    }

    [NativeFact]
    public void Live_OwnerDisposesAnEngine_CountDropsAndTheFactoryForgetsIt()
    {
        using var factory = new NativeWorkerDriverFactory(new NativeWorkerDriverOptions(), s_time);
        var a = (NativeWorkerDriver)factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/0");
        factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/1");
        Assert.Equal(2, factory.Live);

        a.Dispose();

        Assert.Equal(1, factory.Live);
        factory.Create(new RegionId("westus"), new ModelId("A"), new SkuId("a100-80gb"), "westus/A/2");
        Assert.Equal(2, factory.Live);
        Assert.Equal(2, factory.Created); // the disposed one was forgotten
    }

    [NativeFact]
    public void Create_InvalidShape_ThrowsWithTheLibrarysMessage()
    {
        var e = Assert.Throws<NativeEngineException>(() => NativeEngine.Create(new NativeEngineOptions { QueryHeads = 7, KvHeads = 2 }));

        Assert.Equal(NativeStatus.InvalidArgument, e.Status);
        Assert.Contains("ss_engine_create failed with InvalidArgument: ", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length > "ss_engine_create failed with InvalidArgument: ".Length + 5, e.Message);
    }

    [NativeFact]
    public void Release_UnknownId_ThrowsNotFound()
    {
        using var engine = NativeEngine.Create(new NativeEngineOptions());

        var e = Assert.Throws<NativeEngineException>(() => engine.Release(42));

        Assert.Equal(NativeStatus.NotFound, e.Status);
        Assert.Contains("42", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OverrideNamesAMissingFile_ThrowsNamingTheBuildCommand()
    {
        var e = Assert.Throws<DllNotFoundException>(() => NativeLibraryLocator.Load("/nonexistent/libsageserve_native.so", Path.GetTempPath()));

        Assert.Contains("cmake -S native-kernels -B native-kernels/build", e.Message, StringComparison.Ordinal);
        Assert.Contains(NativeLibraryLocator.EnvironmentVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_OutsideACheckout_ReturnsNull()
    {
        var dir = Directory.CreateTempSubdirectory("sageserve-native-");
        try
        {
            Assert.Null(NativeLibraryLocator.Find(null, dir.FullName));
        }
        finally
        {
            dir.Delete();
        }
    }
}
