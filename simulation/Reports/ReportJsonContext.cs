using System.Text.Json.Serialization;

namespace SageServe.Simulation.Reports;

/// <summary>Source-generated (reflection-free, trimming-safe) JSON metadata for <c>summary.json</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    Converters = [typeof(ReportDoubleConverter)])]
[JsonSerializable(typeof(ExperimentReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
