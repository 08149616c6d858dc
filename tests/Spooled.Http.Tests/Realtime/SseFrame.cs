using System.Text.Json;

namespace Spooled.Http.Tests.Realtime;

/// <summary>One SSE message as a client sees it: its id (if any) and its parsed JSON envelope.</summary>
internal sealed record SseFrame(long? Id, JsonElement Envelope)
{
    public string Type => Envelope.GetProperty("type").GetString()!;

    public JsonElement Data => Envelope.GetProperty("data");

    public string? Top(string name) => Envelope.TryGetProperty(name, out var value) ? value.GetString() : null;
}
