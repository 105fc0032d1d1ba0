using Google.Protobuf;
using SageServe.Runtime.Execution;
using SageServe.Runtime.Hosting;

namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>
/// Makes a silo part of a cluster: every grain call first asks placement (over the membership agent's view) which
/// silo owns the grain, runs locally when this silo does, and otherwise travels to the owner through the transport.
/// Calls arriving from other silos are checked against the same view before they run, so a silo never activates a
/// grain it does not own under its view, and never acts at all without a fresh view (a paused silo, once resumed,
/// refuses until its agent has re-read the table, where it finds itself dead).
/// </summary>
public sealed class ClusterRouting
{
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly ISiloTransport _transport;
    private readonly Dictionary<(string Type, string Method), RemoteMethod> _methods = [];
    private SiloRuntime? _runtime;
    private volatile bool _stopping;
    private long _remoteCallsSent;
    private long _remoteCallsReceived;
    private long _notOwnerRefusals;

    /// <summary>Creates the routing for the silo that <paramref name="membership"/> speaks for.</summary>
    public ClusterRouting(MembershipAgent membership, ISiloTransport transport, PlacementDirector? placement = null)
    {
        Membership = membership ?? throw new ArgumentNullException(nameof(membership));
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        Placement = placement ?? new PlacementDirector();
        membership.SnapshotChanged += (_, snapshot) => OnViewChanged(snapshot);
    }

    /// <summary>The membership view changed (after local activations that moved away were asked to deactivate).</summary>
    public event Action<MembershipSnapshot>? ViewChanged;

    /// <summary>This silo.</summary>
    public SiloAddress Self => Membership.Address;

    /// <summary>The membership agent.</summary>
    public MembershipAgent Membership { get; }

    /// <summary>The placement rule.</summary>
    public PlacementDirector Placement { get; }

    /// <summary>Whether this silo may own grains now: running, not declared dead, with a fresh view, not stopping.</summary>
    public bool CanAct => !_stopping && Membership.HasFreshView;

    /// <summary>Calls this silo sent to other silos.</summary>
    public long RemoteCallsSent => Interlocked.Read(ref _remoteCallsSent);

    /// <summary>Calls other silos sent here.</summary>
    public long RemoteCallsReceived => Interlocked.Read(ref _remoteCallsReceived);

    /// <summary>Calls this silo refused because it did not own the grain (or could not act).</summary>
    public long NotOwnerRefusals => Interlocked.Read(ref _notOwnerRefusals);

    /// <summary>The owner of <paramref name="grain"/> under this silo's view, or null when no silo is active.</summary>
    public SiloAddress? OwnerOf(GrainId grain) => Placement.GetOwner(grain, Membership.Snapshot);

    /// <summary>From now on refuse to own anything (graceful shutdown hands grains to the others).</summary>
    public void BeginStopping() => _stopping = true;

    internal void Attach(SiloRuntime runtime, IReadOnlyList<GrainRegistration> registrations)
    {
        if (_runtime is not null)
        {
            throw new InvalidOperationException("This ClusterRouting already serves a silo; build one per silo.");
        }

        _runtime = runtime;
        foreach (var registration in registrations)
        {
            var iface = registration.InterfaceType;
            foreach (var method in iface.GetMethods().Concat(iface.GetInterfaces().SelectMany(i => i.GetMethods())))
            {
                _methods[(registration.TypeName, $"{iface.Name}.{method.Name}")] = RemoteMethod.For(iface, method);
            }
        }
    }

    /// <summary>The owner when it is another silo; null when this silo owns <paramref name="grain"/>.</summary>
    /// <exception cref="SiloUnavailableException">This silo cannot act, or no silo is active.</exception>
    internal SiloAddress? RemoteOwner(GrainId grain)
    {
        if (!CanAct)
        {
            throw new SiloUnavailableException(
                $"silo {Self} cannot route {grain}: " + (_stopping ? "it is shutting down" : Membership.IsDeclaredDead ? "it was declared dead" : "its membership view is not fresh"));
        }

        var owner = OwnerOf(grain) ?? throw new SiloUnavailableException($"no active silo can own {grain}");
        return owner.Equals(Self) ? null : owner;
    }

    /// <summary>
    /// Sends a call to <paramref name="owner"/>. A call that provably did not run there (unreachable, not the owner
    /// under its view) is retried with backoff against whoever owns the grain by then — possibly this silo, through
    /// <paramref name="invokeLocally"/> — until the call's deadline.
    /// </summary>
    internal async ValueTask<TResult> InvokeAsync<TArg, TResult>(SiloAddress owner, GrainId grain, CallDescriptor descriptor, TArg arg, Func<ValueTask<TResult>> invokeLocally)
    {
        var runtime = _runtime!;
        var time = runtime.Clock.Time;
        var timeout = descriptor.Timeout ?? runtime.Options.DefaultCallTimeout;
        var deadline = time.GetUtcNow() + timeout;
        var argument = UnsafeByteOperations.UnsafeWrap(RemoteSerializer.Serialize(arg)); // a fresh array nobody else holds: no copy
        var delay = s_firstRetryDelay;
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            var message = new GrainCallMessage
            {
                GrainType = grain.Type,
                GrainKey = grain.Key,
                Method = descriptor.Name,
                Argument = argument,
                TargetGeneration = owner.Generation,
                Caller = Self.ToString(),
                TimeoutMs = (long)Math.Max(1, remaining.TotalMilliseconds),
            };
            string notRun;
            using (var cts = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), time))
            {
                try
                {
                    Interlocked.Increment(ref _remoteCallsSent);
                    var reply = GrainCallResultMessage.Parser.ParseFrom(await _transport.SendCallAsync(owner, message.ToByteArray(), cts.Token).ConfigureAwait(false));
                    switch (reply.Status)
                    {
                        case GrainCallResultMessage.Types.Status.Ok:
                            return RemoteSerializer.Deserialize<TResult>(reply.Result.Span);
                        case GrainCallResultMessage.Types.Status.NotOwner:
                        case GrainCallResultMessage.Types.Status.Unavailable:
                            notRun = reply.ErrorMessage;
                            break;
                        case GrainCallResultMessage.Types.Status.Timeout:
                            throw new GrainCallTimeoutException($"{descriptor.Name} on {grain} (silo {owner}): {reply.ErrorMessage}");
                        case GrainCallResultMessage.Types.Status.ApplicationError:
                            throw reply.ErrorType == typeof(SiloUnavailableException).FullName
                                ? new SiloUnavailableException($"{descriptor.Name} on {grain} (silo {owner}): {reply.ErrorMessage}")
                                : new RemoteGrainException(reply.ErrorType, reply.ErrorMessage);
                        default:
                            throw new InvalidOperationException($"{descriptor.Name} on {grain}: silo {owner} refused the call: {reply.ErrorMessage}");
                    }
                }
                catch (SiloUnreachableException e)
                {
                    notRun = e.Message;
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    throw new GrainCallTimeoutException($"{descriptor.Name} on {grain} (silo {owner}) did not complete within {timeout}; the outcome is unknown.");
                }
                catch (HttpRequestException e)
                {
                    throw new GrainCallTimeoutException($"{descriptor.Name} on {grain}: the exchange with silo {owner} failed mid-call ({e.Message}); the outcome is unknown.", e);
                }
            }

            // The call did not run: give membership time to move the grain (or the owner to answer), then retry.
            if (deadline - time.GetUtcNow() <= delay)
            {
                throw new SiloUnavailableException($"{descriptor.Name} on {grain}: {notRun} (gave up at the call's {timeout} deadline)");
            }

            await Task.Delay(delay, time).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            if (RemoteOwner(grain) is not { } next)
            {
                return await invokeLocally().ConfigureAwait(false);
            }

            owner = next;
        }
    }

    /// <summary>Runs a call another silo sent (an encoded <c>GrainCallMessage</c>) and returns the encoded result.</summary>
    public async Task<byte[]> HandleCallAsync(ReadOnlyMemory<byte> body)
    {
        Interlocked.Increment(ref _remoteCallsReceived);
        GrainCallMessage call;
        try
        {
            call = GrainCallMessage.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Reply(GrainCallResultMessage.Types.Status.BadRequest, "InvalidProtocolBufferException", $"malformed grain call: {e.Message}");
        }

        var grain = new GrainId(call.GrainType, call.GrainKey);
        if (call.TargetGeneration != Self.Generation)
        {
            return Refuse(GrainCallResultMessage.Types.Status.NotOwner, $"{Self.Endpoint} is now generation {Self.Generation}, not {call.TargetGeneration}");
        }

        if (!CanAct)
        {
            return Refuse(GrainCallResultMessage.Types.Status.Unavailable, $"silo {Self} cannot act now (shutting down, declared dead, or no fresh membership view)");
        }

        var owner = OwnerOf(grain);
        if (owner is null || !owner.Equals(Self))
        {
            return Refuse(GrainCallResultMessage.Types.Status.NotOwner, $"silo {Self} does not own {grain} (its view says {owner?.ToString() ?? "nobody"})");
        }

        if (_runtime is not { } runtime || !_methods.TryGetValue((call.GrainType, call.Method), out var method))
        {
            return Reply(GrainCallResultMessage.Types.Status.BadRequest, nameof(ArgumentException), $"silo {Self} has no grain type '{call.GrainType}' with method '{call.Method}'");
        }

        try
        {
            var result = await method.InvokeAsync(runtime.CreateLocalReference(grain), call.Argument.Memory).ConfigureAwait(false);
            return new GrainCallResultMessage { Status = GrainCallResultMessage.Types.Status.Ok, Result = UnsafeByteOperations.UnsafeWrap(result) }.ToByteArray();
        }
        catch (GrainCallTimeoutException e)
        {
            return Reply(GrainCallResultMessage.Types.Status.Timeout, e.GetType().FullName!, e.Message);
        }
        catch (Exception e)
        {
            return Reply(GrainCallResultMessage.Types.Status.ApplicationError, e.GetType().FullName!, e.Message);
        }
    }

    /// <summary>Answers a failure-detector probe (an encoded <c>PingMessage</c>).</summary>
    public byte[] HandlePing(ReadOnlySpan<byte> body)
    {
        var ping = PingMessage.Parser.ParseFrom(body);
        return new PongMessage
        {
            IsTarget = ping.TargetGeneration == Self.Generation,
            Active = Membership.IsRunning && !_stopping,
            Responder = Self.ToString(),
        }.ToByteArray();
    }

    private byte[] Refuse(GrainCallResultMessage.Types.Status status, string message)
    {
        Interlocked.Increment(ref _notOwnerRefusals);
        return Reply(status, string.Empty, message);
    }

    private static byte[] Reply(GrainCallResultMessage.Types.Status status, string type, string message) =>
        new GrainCallResultMessage { Status = status, ErrorType = type, ErrorMessage = message }.ToByteArray();

    private void OnViewChanged(MembershipSnapshot snapshot)
    {
        if (_runtime is { } runtime)
        {
            foreach (var activation in runtime.Activations)
            {
                if (Placement.GetOwner(activation.Id, snapshot) is not { } owner || !owner.Equals(Self))
                {
                    // It moved to another silo: finish current turns, run OnDeactivateAsync, go.
                    activation.RequestDeactivation();
                }
            }
        }

        ViewChanged?.Invoke(snapshot);
    }
}
