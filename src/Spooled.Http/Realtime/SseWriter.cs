using System.Buffers.Text;
using System.IO.Pipelines;

namespace Spooled.Http.Realtime;

/// <summary>
/// Writes Server-Sent Events frames into the response. Frames are unnamed <c>data:</c> messages
/// (the Node SDK ignores named events), with an <c>id:</c> line when the event can be resumed from.
/// Frames accumulate in the response pipe until <see cref="FlushAsync"/>, so a burst of events goes
/// out in one write.
/// </summary>
internal sealed class SseWriter(HttpResponse response)
{
    private static readonly byte[] s_id = "id: "u8.ToArray();
    private static readonly byte[] s_data = "data: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();
    private static readonly byte[] s_keepAlive = ": keepalive\n\n"u8.ToArray();

    private readonly PipeWriter _pipe = response.BodyWriter;

    // Frames are copied into one block of the pipe until it is full and committed once, rather than
    // asking the response for room for each: each ask takes the response's lock.
    private Memory<byte> _block;
    private int _used;

    /// <summary>Sends the headers at once, so that clients see the stream open before the first event.</summary>
    public async Task StartAsync(CancellationToken cancel)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // Proxies must not hold events back.
        await response.StartAsync(cancel);
        await response.Body.FlushAsync(cancel);
    }

    /// <summary>Adds one event without an id (the JSON envelope, which never contains a newline).</summary>
    public void Event(ReadOnlySpan<byte> json)
    {
        Write(s_data);
        Write(json);
        Write(s_end);
    }

    /// <summary>Adds a whole frame made by <see cref="Frame(ReadOnlySpan{byte}, long)"/>.</summary>
    public void Frame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > _block.Length - _used)
        {
            Commit();
            _block = _pipe.GetMemory(frame.Length);
        }

        frame.CopyTo(_block.Span[_used..]);
        _used += frame.Length;
    }

    /// <summary>One event's frame with its id line: made once per event, then copied to every stream.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> json, long id)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, digits, out var length);
        var frame = new byte[s_id.Length + length + 1 + s_data.Length + json.Length + s_end.Length];
        var rest = frame.AsSpan();
        Append(ref rest, s_id);
        Append(ref rest, digits[..length]);
        Append(ref rest, "\n"u8);
        Append(ref rest, s_data);
        Append(ref rest, json);
        Append(ref rest, s_end);
        return frame;
    }

    /// <summary>Adds a comment line, which keeps idle connections (and the proxies between) open.</summary>
    public void KeepAlive() => Write(s_keepAlive);

    /// <summary>Sends everything added so far; false when the client has gone.</summary>
    public async ValueTask<bool> FlushAsync(CancellationToken cancel)
    {
        Commit();
        var result = await _pipe.FlushAsync(cancel);
        return !result.IsCompleted && !result.IsCanceled;
    }

    private static void Append(ref Span<byte> rest, scoped ReadOnlySpan<byte> part)
    {
        part.CopyTo(rest);
        rest = rest[part.Length..];
    }

    private void Commit()
    {
        if (_used > 0)
        {
            _pipe.Advance(_used);
        }

        _used = 0;
        _block = default;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        Commit();
        var span = _pipe.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _pipe.Advance(bytes.Length);
    }
}
