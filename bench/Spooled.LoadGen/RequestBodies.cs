using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Spooled.LoadGen;

/// <summary>
/// Builds the request bodies once per run so the send loops only copy bytes. Every payload has the
/// same shape, <c>{"t":"&lt;19 digits&gt;","p":"xxx…"}</c>: a fixed-width send timestamp (zeros
/// outside the steady workload) and padding up to the exact size asked for. A fixed width lets the
/// steady workload stamp a copy of the template in place without changing its length.
/// </summary>
internal static class RequestBodies
{
    private const string Head = "{\"t\":\"";
    private const string Middle = "\",\"p\":\"";
    private const string Tail = "\"}";
    private const int StampDigits = 19;

    public const int MinPayloadBytes = 6 + StampDigits + 7 + 2;

    /// <summary>Below the server's 1 MiB payload cap, leaving room for the envelope.</summary>
    public const int MaxPayloadBytes = 1_000_000;

    public static byte[] Payload(int size)
    {
        var pad = size - MinPayloadBytes;
        var text = Head + new string('0', StampDigits) + Middle + new string('x', pad) + Tail;
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length == size ? bytes : throw new InvalidOperationException("payload size mismatch");
    }

    /// <summary>A <c>POST /jobs</c> body; <paramref name="stampOffset"/> is where the payload's timestamp digits start.</summary>
    public static byte[] Single(string queue, byte[] payload, out int stampOffset)
    {
        var body = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("queue_name", queue);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(payload, skipInputValidation: true);
            writer.WriteEndObject();
        });
        stampOffset = body.AsSpan().IndexOf(payload) + Head.Length;
        return body;
    }

    /// <summary>A <c>POST /jobs/bulk</c> body of <paramref name="count"/> copies of the payload.</summary>
    public static byte[] Bulk(string queue, byte[] payload, int count) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("queue_name", queue);
        writer.WriteStartArray("jobs");
        for (var i = 0; i < count; i++)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("payload");
            writer.WriteRawValue(payload, skipInputValidation: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] Claim(string queue, string workerId, int limit, int leaseSecs, int waitSecs) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("queue_name", queue);
        writer.WriteString("worker_id", workerId);
        writer.WriteNumber("limit", limit);
        writer.WriteNumber("lease_duration_secs", leaseSecs);
        writer.WriteNumber("wait_secs", waitSecs);
        writer.WriteEndObject();
    });

    /// <summary>Writes a timestamp as exactly 19 zero-padded digits over the template's slot.</summary>
    public static void Stamp(Span<byte> body, int offset, long timestamp)
    {
        var slot = body.Slice(offset, StampDigits);
        if (!Utf8Formatter.TryFormat(timestamp, slot, out _, new StandardFormat('D', StampDigits)))
        {
            throw new InvalidOperationException("timestamp does not fit");
        }
    }

    public static bool TryReadStamp(string? text, out long timestamp)
    {
        timestamp = 0;
        return text is { Length: StampDigits } && long.TryParse(text, out timestamp) && timestamp > 0;
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
