namespace SageServe.Runtime.Cluster;

/// <summary>
/// One silo's membership participant: registers the silo (Joining, then Active), heartbeats, re-reads the table,
/// probes the other silos, votes suspected silos dead, and stops for good when it reads itself dead.
/// </summary>
/// <remarks>
/// <para>
/// Nothing happens by itself: <see cref="TickAsync"/> does whatever is due at the <see cref="TimeProvider"/>'s now, so
/// tests drive it in virtual time; <see cref="StartTimer"/> calls it from a timer of the same provider in production.
/// </para>
/// <para>
/// A silo is suspected when its heartbeat is older than <see cref="ClusterOptions.DeathTimeout"/> (comparing the
/// table's time with this silo's clock, so clocks must agree to well within that timeout) or after
/// <see cref="ClusterOptions.ProbeFailuresBeforeSuspect"/> consecutive failed probes. It is declared dead by the vote
/// that brings its distinct, unexpired suspecters to the quorum. Older generations on this silo's own endpoint are
/// declared dead without a vote: the endpoint now belongs to this process.
/// </para>
/// </remarks>
public sealed class MembershipAgent : IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly SiloProbeTracker _probes;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MembershipSnapshot _snapshot = MembershipSnapshot.Empty;
    private AgentState _state;
    private DateTimeOffset _startTime;
    private DateTimeOffset _nextHeartbeat;
    private DateTimeOffset _nextProbe;
    private DateTimeOffset _nextRefresh;
    private DateTimeOffset _nextCleanup;
    private DateTimeOffset _lastConfirmedAlive;
    private ITimer? _timer;

    /// <summary>Creates the agent for silo <paramref name="self"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public MembershipAgent(SiloAddress self, IMembershipTable table, ISiloProber prober, ClusterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Address = self;
        _table = table;
        _options = options.Validate();
        _probes = new SiloProbeTracker(prober, _options.ProbeFailuresBeforeSuspect, _options.ProbeTimeout, timeProvider);
        _time = timeProvider;
    }

    /// <summary>Raised once, when this silo learns it was declared dead (or its row vanished). It must stop serving.</summary>
    public event EventHandler? DeclaredDead;

    /// <summary>Raised after a read that saw a new table version.</summary>
    public event EventHandler<MembershipSnapshot>? SnapshotChanged;

    private enum AgentState
    {
        NotStarted,
        Running,
        Stopped,
        Dead,
    }

    /// <summary>This silo.</summary>
    public SiloAddress Address { get; }

    /// <summary>The table as last read.</summary>
    public MembershipSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Whether this silo read itself dead. Terminal: this address and generation never rejoin.</summary>
    public bool IsDeclaredDead => _state == AgentState.Dead;

    /// <summary>Whether the agent is started and neither stopped nor dead.</summary>
    public bool IsRunning => _state == AgentState.Running;

    /// <summary>
    /// Whether this silo saw itself alive in the table recently enough that the others cannot yet have declared it
    /// dead (within the probe-suspicion time and <see cref="ClusterOptions.DeathTimeout"/>). A silo that was paused
    /// must not act as a grain owner until a tick has refreshed its view. Best effort, not a lease.
    /// </summary>
    public bool HasFreshView => IsRunning && _time.GetUtcNow() - _lastConfirmedAlive < FreshViewLimit;

    /// <summary>The last exception a timer-driven tick threw, if any (explicit ticks throw to their caller).</summary>
    public Exception? LastTickError { get; private set; }

    private TimeSpan FreshViewLimit =>
        TimeSpan.FromTicks(Math.Min(_options.DeathTimeout.Ticks, _options.ProbePeriod.Ticks * _options.ProbeFailuresBeforeSuspect));

    /// <summary>Registers this silo as Joining, then Active, and reads the table.</summary>
    /// <exception cref="InvalidOperationException">The agent was started before, or this address is already in the table (restart with a new generation).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state != AgentState.NotStarted)
            {
                throw new InvalidOperationException($"The membership agent of {Address} was already started ({_state}); a restarted silo needs a new agent and a new generation.");
            }

            _startTime = _time.GetUtcNow();
            if (!await TryWriteOwnStatusAsync(SiloStatus.Joining, cancellationToken).ConfigureAwait(false)
                || !await TryWriteOwnStatusAsync(SiloStatus.Active, cancellationToken).ConfigureAwait(false))
            {
                BecomeDead();
                throw new InvalidOperationException($"Silo {Address} was declared dead while joining; restart it with a new generation.");
            }

            var now = _time.GetUtcNow();
            _state = AgentState.Running;
            _lastConfirmedAlive = now;
            _nextHeartbeat = now + _options.HeartbeatPeriod;
            _nextProbe = now + _options.ProbePeriod;
            _nextRefresh = now + _options.TableRefreshPeriod;
            _nextCleanup = now + _options.DeadEntryCleanupPeriod;
            await RefreshAndVoteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Does whatever is due now: heartbeat, probes, table refresh and votes, dead-row cleanup. A no-op unless running.</summary>
    /// <remarks>Every due step runs even if an earlier one failed; the first failure is rethrown afterwards.</remarks>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TickCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Calls <see cref="TickAsync"/> from a timer of the agent's <see cref="TimeProvider"/>, every shortest period;
    /// a tick still running makes the next one skip. Errors land in <see cref="LastTickError"/>.
    /// </summary>
    public void StartTimer()
    {
        var period = TimeSpan.FromTicks(Math.Min(_options.HeartbeatPeriod.Ticks, Math.Min(_options.ProbePeriod.Ticks, _options.TableRefreshPeriod.Ticks)));
        _timer ??= _time.CreateTimer(static state => _ = ((MembershipAgent)state!).TickFromTimerAsync(), this, period, period);
    }

    /// <summary>Leaves gracefully: ShuttingDown, then Dead (so nobody waits for a timeout), and stops ticking.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StopTimer();
            if (_state != AgentState.Running)
            {
                return;
            }

            _state = AgentState.Stopped;
            if (await TryWriteOwnStatusAsync(SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false))
            {
                await TryWriteOwnStatusAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the timer; does not touch the table (use <see cref="StopAsync"/> to leave gracefully).</summary>
    public ValueTask DisposeAsync()
    {
        StopTimer();
        return ValueTask.CompletedTask;
    }

    private async Task TickFromTimerAsync()
    {
        if (!await _gate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await TickCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LastTickError = ex;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task TickCoreAsync(CancellationToken cancellationToken)
    {
        if (_state != AgentState.Running)
        {
            return;
        }

        Exception? firstError = null;
        var now = _time.GetUtcNow();
        if (now >= _nextHeartbeat)
        {
            _nextHeartbeat = now + _options.HeartbeatPeriod;
            firstError = await CaptureAsync(() => _table.UpdateIAmAliveAsync(Address, now, cancellationToken)).ConfigureAwait(false);
        }

        var newSuspect = false;
        if (now >= _nextProbe)
        {
            _nextProbe = now + _options.ProbePeriod;
            var targets = Snapshot.Entries
                .Where(e => e.Status != SiloStatus.Dead && e.Address != Address)
                .Select(e => e.Address)
                .ToList();
            newSuspect = await _probes.ProbeAllAsync(targets, cancellationToken).ConfigureAwait(false);
        }

        if (now >= _nextRefresh || newSuspect)
        {
            _nextRefresh = now + _options.TableRefreshPeriod;
            var refreshError = await CaptureAsync(() => RefreshAndVoteAsync(cancellationToken)).ConfigureAwait(false);
            firstError ??= refreshError;
        }

        if (now >= _nextCleanup && _state == AgentState.Running)
        {
            _nextCleanup = now + _options.DeadEntryCleanupPeriod;
            var cleanupError = await CaptureAsync(() => CleanUpDeadEntriesAsync(now, cancellationToken)).ConfigureAwait(false);
            firstError ??= cleanupError;
        }

        if (firstError is not null)
        {
            throw firstError;
        }
    }

    // One silo (the singleton owner) suffices; the table makes a concurrent second cleanup harmless anyway.
    private async Task CleanUpDeadEntriesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (PlacementDirector.GetSingletonOwner(Snapshot) == Address)
        {
            await _table.DeleteDeadEntriesAsync(now - _options.DeadEntryRetention, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefreshAndVoteAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _options.MaxWriteAttempts; attempt++)
        {
            var readStart = _time.GetUtcNow();
            var snapshot = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.Find(Address) is not { Status: not SiloStatus.Dead })
            {
                BecomeDead();
                return;
            }

            _lastConfirmedAlive = readStart;
            var lostRace = false;
            foreach (var target in snapshot.Entries)
            {
                if (SuspicionVote.Decide(Address, target, snapshot, _probes.FailuresOf(target.Address), _options, _time.GetUtcNow()) is not { } updated)
                {
                    continue;
                }

                if (!await _table.UpdateAsync(updated, snapshot.Version, cancellationToken).ConfigureAwait(false))
                {
                    lostRace = true;
                    break;
                }

                snapshot = Replace(snapshot, updated);
                SetSnapshot(snapshot);
            }

            if (!lostRace)
            {
                return;
            }
        }
    }

    /// <returns><see langword="false"/> when this silo is dead in the table (or its row vanished after joining).</returns>
    private async Task<bool> TryWriteOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        var insertAttempted = false;
        for (var attempt = 0; attempt < _options.MaxWriteAttempts; attempt++)
        {
            var snapshot = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var mine = snapshot.Find(Address);
            bool written;
            if (mine is null)
            {
                if (status != SiloStatus.Joining)
                {
                    return false;
                }

                insertAttempted = true;
                written = await _table.InsertAsync(MembershipEntry.Create(Address, SiloStatus.Joining, _startTime), snapshot.Version, cancellationToken).ConfigureAwait(false);
            }
            else if (status == SiloStatus.Joining && !insertAttempted)
            {
                throw new InvalidOperationException($"Silo {Address} is already in the membership table ({mine.Status}); a restarted silo must use a new generation.");
            }
            else if (mine.Status == SiloStatus.Dead)
            {
                return status == SiloStatus.Dead;
            }
            else if (mine.Status == status)
            {
                return true; // an earlier attempt took effect although its acknowledgement said otherwise
            }
            else
            {
                var updated = mine with { Status = status, IAmAliveTime = _time.GetUtcNow() };
                written = await _table.UpdateAsync(updated, snapshot.Version, cancellationToken).ConfigureAwait(false);
            }

            if (written)
            {
                return true;
            }
        }

        throw new MembershipTableContentionException(
            $"Silo {Address} could not write its status {status} in {_options.MaxWriteAttempts} attempts (ClusterOptions.MaxWriteAttempts): the table version kept moving.");
    }

    private async Task<MembershipSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        SetSnapshot(snapshot);
        return snapshot;
    }

    private void SetSnapshot(MembershipSnapshot snapshot)
    {
        var previous = Interlocked.Exchange(ref _snapshot, snapshot);
        if (previous.Version != snapshot.Version)
        {
            SnapshotChanged?.Invoke(this, snapshot);
        }
    }

    private void BecomeDead()
    {
        if (_state == AgentState.Dead)
        {
            return;
        }

        _state = AgentState.Dead;
        StopTimer();
        DeclaredDead?.Invoke(this, EventArgs.Empty);
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private static MembershipSnapshot Replace(MembershipSnapshot snapshot, MembershipEntry updated) =>
        new(snapshot.Version + 1, snapshot.Entries.Select(e => e.Address == updated.Address ? updated : e).ToList());

    private static async Task<Exception?> CaptureAsync(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }
}
