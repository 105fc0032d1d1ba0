using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Core;

public interface INoteGrain : IGrainWithStringKey
{
    ValueTask SaveAsync(string text);

    ValueTask<string> ReadAsync(int unused);
}

public sealed class NoteState
{
    public string Text { get; set; } = "";

    public int Writes { get; set; }
}

public sealed class NoteGrain : Grain, INoteGrain
{
    private readonly IPersistentState<NoteState> _state;

    public NoteGrain()
    {
        _state = GetPersistentState<NoteState>("note");
    }

    public async ValueTask SaveAsync(string text)
    {
        _state.State.Text = text;
        _state.State.Writes++;
        await _state.WriteStateAsync();
    }

    public ValueTask<string> ReadAsync(int unused) => ValueTask.FromResult($"{_state.State.Text}#{_state.State.Writes}");
}

internal sealed class NoteGrainReference(GrainReference reference) : INoteGrain
{
    private static readonly CallDescriptor s_save = CallDescriptor.For<INoteGrain>(nameof(INoteGrain.SaveAsync));
    private static readonly CallDescriptor s_read = CallDescriptor.For<INoteGrain>(nameof(INoteGrain.ReadAsync));

    public ValueTask SaveAsync(string text) => reference.InvokeAsync(s_save, text, static (INoteGrain g, string t) => g.SaveAsync(t));

    public ValueTask<string> ReadAsync(int unused) => reference.InvokeAsync(s_read, unused, static (INoteGrain g, int u) => g.ReadAsync(u));
}
