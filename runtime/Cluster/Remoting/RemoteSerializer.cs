using System.Text.Json;
using System.Text.Json.Serialization;

namespace SageServe.Runtime.Cluster.Remoting;

/// <summary>
/// How grain-call arguments and results cross silos: UTF-8 JSON inside the protobuf envelope. Grain methods take
/// records, record structs, enums, strings and collections of them; all round-trip through System.Text.Json.
/// </summary>
public static class RemoteSerializer
{
    /// <summary>The options every silo uses (they must agree).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Encodes <paramref name="value"/>.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Decodes a <typeparamref name="T"/>; an empty payload is <c>default</c>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> payload) =>
        payload.IsEmpty ? default! : JsonSerializer.Deserialize<T>(payload, Options)!;
}
