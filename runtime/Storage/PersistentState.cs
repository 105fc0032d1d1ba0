using System.Text.Json;

namespace SageServe.Runtime.Storage;

/// <summary><see cref="IPersistentState{TState}"/> over an <see cref="IGrainStorage"/>, serialised as JSON.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IPersistentStateLifecycle
    where TState : class, new()
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.General);
    private readonly string _stateName;
    private readonly GrainId _grainId;
    private readonly IGrainStorage _storage;

    public PersistentState(string stateName, GrainId grainId, IGrainStorage storage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateName);
        _stateName = stateName;
        _grainId = grainId;
        _storage = storage;
    }

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public Task ReadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _storage.ReadAsync(_stateName, _grainId, cancellationToken);
        if (stored is null)
        {
            State = new TState();
            Etag = null;
            return;
        }

        try
        {
            State = JsonSerializer.Deserialize<TState>(stored.Data.Span, s_json) ?? new TState();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"State '{_stateName}' of {_grainId} is not valid {typeof(TState).Name} JSON: {e.Message}", e);
        }

        Etag = stored.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(State, s_json);
        Etag = await _storage.WriteAsync(_stateName, _grainId, bytes, Etag, cancellationToken);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await _storage.ClearAsync(_stateName, _grainId, Etag, cancellationToken);
        Etag = null;
        State = new TState();
    }
}
