using System.Text.Json.Serialization;

namespace Spooled.Http.Json;

/// <summary>
/// A JSON value passed through byte for byte (payloads, results, tags, metadata, settings): read
/// as the raw UTF-8 of the request, written back unchanged. A JSON <c>null</c> is a value here
/// (<see cref="IsNull"/>); an absent property is a null reference.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    /// <summary>The JSON literal <c>null</c>.</summary>
    public static readonly RawJson Null = new("null"u8.ToArray());

    /// <summary>Wraps UTF-8 JSON bytes (not copied, not checked).</summary>
    public RawJson(byte[] utf8) => Utf8 = utf8;

    /// <summary>The UTF-8 JSON text.</summary>
    public byte[] Utf8 { get; }

    /// <summary>Whether the value is the literal <c>null</c>.</summary>
    public bool IsNull => Utf8.AsSpan().SequenceEqual("null"u8);

    /// <summary>Whether the value is a JSON object.</summary>
    public bool IsObject => Utf8.Length > 0 && Utf8[0] == (byte)'{';

    /// <summary>Null for an absent or JSON-null value, else the bytes.</summary>
    public static byte[]? BytesOrNull(RawJson? value) => value is null || value.IsNull ? null : value.Utf8;

    /// <summary>Wraps bytes from the broker, or null.</summary>
    public static RawJson? From(byte[]? utf8) => utf8 is null ? null : new RawJson(utf8);
}
