using System.Text.Json;
using System.Text.Json.Serialization;

namespace SageServe.Simulation.Reports;

/// <summary>
/// Writes doubles rounded to <see cref="ReportNumbers.SignificantDigits"/> significant digits, and NaN/±Infinity as
/// <c>null</c> ("undefined": e.g. a percentile of no samples); reads <c>null</c> back as <see cref="double.NaN"/>.
/// </summary>
internal sealed class ReportDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(ReportNumbers.Round(value));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
