using System.Buffers;
using System.Text.Json;

namespace Spooled.Http.Realtime;

/// <summary>
/// The Go SDK's command answers, which are not events: <c>{"type":"subscribed"|"unsubscribed",
/// "request_id"}</c> and <c>{"type":"error","request_id","error"}</c>. Go waits ten seconds for one
/// naming its <c>request_id</c> before it gives the subscription up; the other SDKs get no answer
/// (they never asked for one) except <see cref="EventEncoder.Error"/> events for bad commands.
/// </summary>
internal static class WebSocketReply
{
    /// <summary>The acknowledgement of a subscribe or unsubscribe command.</summary>
    public static byte[] Ack(WebSocketCommandKind kind, string? requestId) =>
        Write(kind == WebSocketCommandKind.Unsubscribe ? "unsubscribed" : "subscribed", requestId, null);

    /// <summary>A refused command, naming the request it answers.</summary>
    public static byte[] CommandError(string? requestId, string message) => Write("error", requestId, message);

    private static byte[] Write(string type, string? requestId, string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            if (requestId is null)
            {
                w.WriteNull("request_id");
            }
            else
            {
                w.WriteString("request_id", requestId);
            }

            if (error is not null)
            {
                w.WriteString("error", error);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
