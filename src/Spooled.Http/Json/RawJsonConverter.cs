using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spooled.Http.Json;

/// <summary>Reads a JSON value's raw bytes; writes them back without re-encoding.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return RawJson.Null;
        }

        // Payloads, results and tags are kept by the broker for the job's lifetime: allocate them as such.
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(Spooled.Broker.HeldBytes.Copy(JsonMarshal.GetRawUtf8Value(document.RootElement)));
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        // The bytes were validated when they arrived (or produced by the broker from such bytes).
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
    }
}
