using SageServe.Grains.Domain;
using SageServe.Grains.Workers;
using SageServe.Planning.Capacity;

namespace SageServe.Simulation.Fleet;

/// <summary>
/// A continuous-batching inference engine in simulation, timed by a fitted <see cref="LatencyModel"/>.
/// </summary>
/// <remarks>
/// <para>Admission: a waiting request joins the batch when a slot is free (<c>maxBatch</c>) and its whole KV need
/// (prompt + output tokens) can be reserved, so nothing is ever preempted. Interactive requests are admitted before
/// non-interactive ones.</para>
/// <para>Phases: newly admitted requests are prefilled together (one iteration lasting the sum of their prefill
/// times; the first token appears at its end), then the batch decodes. A decode stretch runs to the next completion
/// in one step — the iteration time grows linearly with context, so k iterations take
/// k·a + b·k(k−1)/2 with a = d + e·B + f·C₀ and b = f·B — instead of one event per token. An arrival cuts the stretch
/// at the next iteration boundary so the newcomer joins there, as a real engine would.</para>
/// </remarks>
public sealed class SimulatedWorker : IWorkerDriver
{
    private readonly LatencyModel _latency;
    private readonly int _maxBatch;
    private readonly long _kvCapacityTokens;
    private readonly Queue<Waiting> _waitingInteractive = new();
    private readonly Queue<Waiting> _waitingBatch = new();
    private readonly List<Running> _running = [];
    private Phase _phase;
    private DateTimeOffset _phaseStart;
    private DateTimeOffset _phaseEnd;
    private int _decodeSteps;
    private double _stepA;
    private double _stepB;
    private long _kvReserved;
    private long _pendingTokens;

    /// <summary>Creates an idle worker.</summary>
    /// <param name="latency">Timing of this (model, SKU, TP).</param>
    /// <param name="maxBatch">Most sequences decoded together (≥ 1).</param>
    /// <param name="kvCapacityTokens">KV-cache tokens the instance holds (≥ 1).</param>
    public SimulatedWorker(LatencyModel latency, int maxBatch, long kvCapacityTokens)
    {
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kvCapacityTokens, 1);
        _latency = latency;
        _maxBatch = maxBatch;
        _kvCapacityTokens = kvCapacityTokens;
    }

    private enum Phase
    {
        Idle,
        Prefill,
        Decode,
    }

    /// <inheritdoc />
    public DateTimeOffset? NextEventAt => _phase == Phase.Idle ? null : _phaseEnd;

    /// <inheritdoc />
    public InstanceLoad Load => new(_running.Count, _waitingInteractive.Count + _waitingBatch.Count, _kvReserved, _kvCapacityTokens, _pendingTokens);

    /// <inheritdoc />
    public bool TrySubmit(InferenceRequest request, DateTimeOffset now, out string? reason)
    {
        long need = (long)request.PromptTokens + request.OutputTokens;
        if (need > _kvCapacityTokens)
        {
            reason = $"needs {need} KV tokens; the instance holds {_kvCapacityTokens}";
            return false;
        }

        reason = null;
        _pendingTokens += need;
        (request.Tier == Tier.Interactive ? _waitingInteractive : _waitingBatch).Enqueue(new Waiting(request, now));
        switch (_phase)
        {
            case Phase.Idle:
                StartNextPhase(now);
                break;
            case Phase.Decode:
                CutDecodeAtNextIteration(now);
                break;
        }

        return true;
    }

    /// <inheritdoc />
    public void AdvanceTo(DateTimeOffset now, ICollection<WorkerCompletion> completed)
    {
        while (_phase != Phase.Idle && _phaseEnd <= now)
        {
            var end = _phaseEnd;
            EndPhase(end, completed);
            StartNextPhase(end);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<InferenceRequest> Abort()
    {
        var lost = new List<InferenceRequest>(_running.Count + _waitingInteractive.Count + _waitingBatch.Count);
        lost.AddRange(_running.Select(r => r.Request));
        lost.AddRange(_waitingInteractive.Select(w => w.Request));
        lost.AddRange(_waitingBatch.Select(w => w.Request));
        _running.Clear();
        _waitingInteractive.Clear();
        _waitingBatch.Clear();
        _kvReserved = 0;
        _pendingTokens = 0;
        _phase = Phase.Idle;
        return lost;
    }

    private void EndPhase(DateTimeOffset end, ICollection<WorkerCompletion> completed)
    {
        var steps = _phase == Phase.Decode ? _decodeSteps : 0;
        var kept = 0;
        for (var i = 0; i < _running.Count; i++)
        {
            var r = _running[i];
            if (r.Prefilling)
            {
                r.Prefilling = false;
                r.FirstTokenAt = end;
                r.Remaining = r.Request.OutputTokens - 1;
                r.Context = r.Request.PromptTokens + 1;
            }
            else
            {
                r.Remaining -= steps;
                r.Context += steps;
            }

            if (r.Remaining <= 0)
            {
                long need = (long)r.Request.PromptTokens + r.Request.OutputTokens;
                _kvReserved -= need;
                _pendingTokens -= need;
                completed.Add(new WorkerCompletion(r.Request, r.SubmittedAt, r.FirstTokenAt, end));
            }
            else
            {
                _running[kept++] = r;
            }
        }

        _running.RemoveRange(kept, _running.Count - kept);
    }

    private void StartNextPhase(DateTimeOffset at)
    {
        double prefillSeconds = 0;
        while (_running.Count < _maxBatch && TryAdmit(out var waiting))
        {
            prefillSeconds += _latency.PrefillSeconds(waiting.Request.PromptTokens);
            _running.Add(new Running(waiting.Request, waiting.SubmittedAt) { Prefilling = true });
        }

        _phaseStart = at;
        if (prefillSeconds > 0)
        {
            _phase = Phase.Prefill;
            _phaseEnd = at + Duration(prefillSeconds);
            return;
        }

        if (_running.Count == 0)
        {
            _phase = Phase.Idle;
            return;
        }

        var batch = _running.Count;
        long context = 0;
        var steps = int.MaxValue;
        foreach (var r in _running)
        {
            context += r.Context;
            steps = Math.Min(steps, r.Remaining);
        }

        _phase = Phase.Decode;
        _stepA = _latency.DecodeIterationSeconds(batch, context);
        _stepB = _latency.DecodeSecondsPerContextToken * batch;
        _decodeSteps = steps;
        _phaseEnd = at + Duration(StretchSeconds(steps));
    }

    private bool TryAdmit(out Waiting waiting)
    {
        var queue = _waitingInteractive.Count > 0 ? _waitingInteractive : _waitingBatch;
        if (queue.TryPeek(out waiting) && _kvReserved + waiting.Request.PromptTokens + waiting.Request.OutputTokens <= _kvCapacityTokens)
        {
            queue.Dequeue();
            _kvReserved += (long)waiting.Request.PromptTokens + waiting.Request.OutputTokens;
            return true;
        }

        return false;
    }

    /// <summary>Ends the current decode stretch at the first iteration boundary at or after <paramref name="now"/>.</summary>
    private void CutDecodeAtNextIteration(DateTimeOffset now)
    {
        var elapsed = (now - _phaseStart).TotalSeconds;
        int steps;
        if (_stepB <= 0)
        {
            steps = (int)Math.Ceiling(elapsed / _stepA);
        }
        else
        {
            // Smallest k with k·a + b·k(k−1)/2 ≥ elapsed.
            var half = _stepB / 2;
            var linear = _stepA - half;
            steps = (int)Math.Ceiling((-linear + Math.Sqrt((linear * linear) + (4 * half * elapsed))) / (2 * half));
        }

        while (steps > 1 && StretchSeconds(steps - 1) >= elapsed)
        {
            steps--;
        }

        steps = Math.Clamp(steps, 1, _decodeSteps);
        if (steps < _decodeSteps)
        {
            _decodeSteps = steps;
            _phaseEnd = _phaseStart + Duration(StretchSeconds(steps));
        }
    }

    private double StretchSeconds(int steps) => (steps * _stepA) + (_stepB * steps * (steps - 1.0) / 2);

    /// <summary>Rounds up to whole ticks and at least one, so time always moves forward.</summary>
    private static TimeSpan Duration(double seconds) =>
        TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond)));

    private readonly record struct Waiting(InferenceRequest Request, DateTimeOffset SubmittedAt);

    private struct Running(InferenceRequest request, DateTimeOffset submittedAt)
    {
        public readonly InferenceRequest Request = request;
        public readonly DateTimeOffset SubmittedAt = submittedAt;
        public DateTimeOffset FirstTokenAt;
        public int Remaining;
        public long Context;
        public bool Prefilling;
    }
}
