using System.Text.Json;

namespace Spooled.Http.Realtime;

/// <summary>
/// One command a client sent over the WebSocket, read from either of the two shapes the SDKs use:
/// <list type="bullet">
/// <item><c>{"cmd": "subscribe"|"unsubscribe"|"ping", "queue"?, "job_id"?}</c> (Node in PascalCase,
/// Python and PHP in lower case; no answer but to <c>ping</c>);</item>
/// <item><c>{"type": "subscribe"|"unsubscribe"|"ping", "request_id", "filter": {"queue_name"?,
/// "job_id"?, "worker_id"?, "events"?}}</c> (Go, which waits for an acknowledgement naming its
/// <c>request_id</c>).</item>
/// </list>
/// Names and values are matched case-insensitively, and <c>queue</c>/<c>queue_name</c> are
/// synonyms, so that every SDK's spelling works. Parsed with <see cref="JsonDocument"/>: the repo
/// uses no reflection-based JSON, and the shapes are too loose for a contract class.
/// </summary>
internal sealed class WebSocketCommand
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 8 };

    /// <summary>What the command asks for.</summary>
    public required WebSocketCommandKind Kind { get; init; }

    /// <summary>The Go SDK's correlation id; when set, the command is acknowledged with it.</summary>
    public string? RequestId { get; init; }

    /// <summary>Whether the command came in Go's <c>type</c> shape (acknowledged even without an id).</summary>
    public bool WantsAck { get; init; }

    /// <summary>The queue to filter on, or null.</summary>
    public string? Queue { get; init; }

    /// <summary>The job to filter on (text; validated when the filter is built), or null.</summary>
    public string? JobId { get; init; }

    /// <summary>The worker to filter on, or null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Event types, comma-separated (Go may send an array; it is joined), or null for all.</summary>
    public string? Events { get; init; }

    /// <summary>
    /// Reads one text message. Returns false with a message fit to send back to the client when the
    /// text is not JSON, not an object, or not a known command.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, out WebSocketCommand? command, out string error, out string? requestId)
    {
        command = null;
        requestId = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException)
        {
            error = "Malformed command: expected a JSON object such as {\"cmd\":\"subscribe\",\"queue\":\"emails\"}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "Malformed command: expected a JSON object such as {\"cmd\":\"subscribe\",\"queue\":\"emails\"}";
                return false;
            }

            requestId = Find(root, "request_id") is { } id && id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id.ToString() : null;
            var goShape = false;
            var name = Find(root, "cmd");
            if (name is null)
            {
                name = Find(root, "type");
                goShape = name is not null;
            }

            if (name is not { ValueKind: JsonValueKind.String } nameValue)
            {
                error = "Unknown command: expected \"cmd\" (or \"type\") to be \"subscribe\", \"unsubscribe\" or \"ping\"";
                return false;
            }

            var text = nameValue.GetString();
            WebSocketCommandKind kind;
            if (string.Equals(text, "subscribe", StringComparison.OrdinalIgnoreCase))
            {
                kind = WebSocketCommandKind.Subscribe;
            }
            else if (string.Equals(text, "unsubscribe", StringComparison.OrdinalIgnoreCase))
            {
                kind = WebSocketCommandKind.Unsubscribe;
            }
            else if (string.Equals(text, "ping", StringComparison.OrdinalIgnoreCase))
            {
                kind = WebSocketCommandKind.Ping;
            }
            else
            {
                error = $"Unknown command '{Shorten(text)}': expected \"subscribe\", \"unsubscribe\" or \"ping\"";
                return false;
            }

            // Go nests the filter; the others put it at the top level. Read both (the nested one wins).
            JsonElement? filter = Find(root, "filter") is { ValueKind: JsonValueKind.Object } nested ? nested : null;
            if (!TryText(filter, root, out var queue, out error, "queue", "queue_name")
                || !TryText(filter, root, out var jobId, out error, "job_id")
                || !TryText(filter, root, out var workerId, out error, "worker_id")
                || !TryEvents(filter, root, out var events, out error))
            {
                return false;
            }

            command = new WebSocketCommand
            {
                Kind = kind,
                RequestId = requestId,
                WantsAck = goShape || requestId is not null,
                Queue = queue,
                JobId = jobId,
                WorkerId = workerId,
                Events = events,
            };
            error = "";
            return true;
        }
    }

    /// <summary>A property by name, ignoring case (SDKs differ), or null when absent.</summary>
    private static JsonElement? Find(JsonElement value, string name)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>A field of the nested filter, else of the top level.</summary>
    private static JsonElement? FindIn(JsonElement? filter, JsonElement root, string name) =>
        (filter is { } nested ? Find(nested, name) : null) ?? Find(root, name);

    /// <summary>A string field from the filter or the top level; null or "" count as absent.</summary>
    private static bool TryText(JsonElement? filter, JsonElement root, out string? value, out string error, params string[] names)
    {
        value = null;
        error = "";
        foreach (var name in names)
        {
            var found = FindIn(filter, root, name);
            switch (found?.ValueKind)
            {
                case null or JsonValueKind.Null:
                    continue;
                case JsonValueKind.String:
                    var text = found.Value.GetString();
                    if (!string.IsNullOrEmpty(text))
                    {
                        value = text;
                        return true;
                    }

                    continue;
                default:
                    error = $"Malformed command: '{name}' must be a string";
                    return false;
            }
        }

        return true;
    }

    /// <summary>Event types as a comma-separated string or an array of strings.</summary>
    private static bool TryEvents(JsonElement? filter, JsonElement root, out string? events, out string error)
    {
        events = null;
        error = "";
        var found = FindIn(filter, root, "events");
        switch (found?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                events = found.Value.GetString() is { Length: > 0 } text ? text : null;
                return true;
            case JsonValueKind.Array:
                var names = new List<string>();
                foreach (var item in found.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = "Malformed command: 'events' must be a string or an array of strings";
                        return false;
                    }

                    names.Add(item.GetString()!);
                }

                events = names.Count > 0 ? string.Join(',', names) : null;
                return true;
            default:
                error = "Malformed command: 'events' must be a string or an array of strings";
                return false;
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
