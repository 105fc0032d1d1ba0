using System.Text.Json;
using System.Text.Json.Serialization;

namespace SageServe.Silo.Api;

/// <summary>Body of <c>POST /v1/control/vms/{region}/{vm}/load</c>.</summary>
/// <param name="Model">The model to load (deployed in the VM's region).</param>
/// <param name="OperationId">Makes the command idempotent: a retry with the same id changes nothing.</param>
public sealed record VmLoadDto(string? Model, string? OperationId);

/// <summary>Body of <c>POST /v1/control/vms/{region}/{vm}/unload</c> (optional: defaults drain without a timeout).</summary>
/// <param name="OperationId">Makes the command idempotent.</param>
/// <param name="Mode"><c>drain</c> (default: finish what the worker holds) or <c>abort</c> (reject it now).</param>
/// <param name="DrainTimeoutSeconds">Drain: after this long, reject what is still held.</param>
public sealed record VmUnloadDto(string? OperationId, string? Mode, double? DrainTimeoutSeconds);

/// <summary>One VM as the API shows it.</summary>
public sealed record VmDto(
    string Key,
    string Region,
    string State,
    string? Model,
    string? Instance,
    string HomeModel,
    int Running,
    int Queued,
    long PendingTokens,
    long KvTokensReserved,
    long KvTokensCapacity,
    double KvUtilisation,
    string? LastOperationId,
    double? LastLoadMilliseconds,
    long Completed,
    long Rejected);

/// <summary>Answer of <c>GET /v1/vms</c>.</summary>
/// <param name="NativeEngines">Native engines alive in this silo (null with simulated workers).</param>
/// <param name="Vms">Every VM.</param>
public sealed record VmListDto(int? NativeEngines, VmDto[] Vms);

/// <summary>Answer of a VM load or unload.</summary>
/// <param name="Operation">load or unload.</param>
/// <param name="OperationId">The command's id (the caller's, or one made up).</param>
/// <param name="Outcome">applied, no-change (already so), or, with a problem status, unknown-model, conflict, failed.</param>
/// <param name="Repeated">The id was seen before: the first outcome, nothing redone.</param>
/// <param name="Vm">The VM after the command.</param>
public sealed record VmCommandDto(string Operation, string OperationId, string Outcome, bool Repeated, VmDto Vm);

/// <summary>System.Text.Json source generation for the VM API (camelCase, nulls omitted, like the rest of the API).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VmLoadDto))]
[JsonSerializable(typeof(VmUnloadDto))]
[JsonSerializable(typeof(VmDto))]
[JsonSerializable(typeof(VmListDto))]
[JsonSerializable(typeof(VmCommandDto))]
public sealed partial class VmJsonContext : JsonSerializerContext;
