using System.Net.Sockets;
using System.Text;
using HdrHistogram;

namespace Spooled.LoadGen;

/// <summary>
/// One live-event stream. It reads the raw bytes into one reused buffer and looks only at what it
/// measures (the event type and the last timestamp of each <c>data:</c> line), without decoding
/// text or parsing JSON: a thousand of these share the CPU with the server under test, so each must
/// cost next to nothing per event. Counters are written by the stream's own read loop only.
/// </summary>
internal sealed class SseSubscriber
{
    /// <summary>Latency recorded at most one hour; later events count as one hour.</summary>
    public const long HighestMicros = 3_600_000_000;

    /// <summary>
    /// Two significant digits (1 % resolution), not the three of <see cref="LatencyRecorder"/>: a
    /// three-digit histogram over this range takes about 190 KB, which a thousand subscribers would
    /// turn into 190 MB of client memory; two digits take about 25 KB.
    /// </summary>
    public const int SignificantDigits = 2;

    /// <summary>The delivery budget the report states a share for.</summary>
    public const long BudgetMicros = 50_000;

    private const int ReceiveBuffer = 32 * 1024;

    private readonly TaskCompletionSource<bool> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _events;
    private volatile bool _ended;

    /// <summary>Completes with true once the stream answered 200, false when it failed to open.</summary>
    public Task<bool> Connected => _connected.Task;

    /// <summary>JobCreated events received so far (read while the stream runs).</summary>
    public long Events => Volatile.Read(ref _events);

    /// <summary>The stream is over: closed by the server, broken, or never opened.</summary>
    public bool Ended => _ended;

    /// <summary>Event-time-to-receipt latency of each JobCreated event, in microseconds; read after the stream ended.</summary>
    public LongHistogram Latency { get; } = new(1, HighestMicros, SignificantDigits);

    public long WithinBudget { get; private set; }

    public long OtherEvents { get; private set; }

    public long UnreadableEvents { get; private set; }

    /// <summary>The server sent an <c>Error</c> event: it closed the stream because this subscriber fell behind.</summary>
    public bool CutOff { get; private set; }

    /// <summary>The stream ended before <c>stop</c> was signalled.</summary>
    public bool EndedEarly { get; private set; }

    /// <summary>
    /// Opens the stream (giving up when <paramref name="connect"/> is cancelled before the answer
    /// headers arrive) and reads it until <paramref name="stop"/> or until the server ends it.
    /// Failures to open are counted in <paramref name="errors"/> under <c>sse</c>; the first
    /// refusal's body is handed to <paramref name="refused"/> so the user sees why. A raw socket
    /// with a hand-written request and chunked decoding, not an HTTP client: a thousand of these
    /// share the machine with the server under test, so each must cost as little as a remote
    /// dashboard's would cost this machine, which is nothing.
    /// </summary>
    public async Task RunAsync(Uri server, string pathAndQuery, string apiKey, ErrorTally errors, Action<int, string> refused, CancellationToken connect, CancellationToken stop)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var buffer = new byte[ReceiveBuffer];
            int filled;
            int headEnd;
            try
            {
                await socket.ConnectAsync(server.Host, server.Port, connect);
                var request = Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {apiKey}\r\nAccept: text/event-stream\r\n\r\n");
                await socket.SendAsync(request, SocketFlags.None, connect);
                (filled, headEnd) = await ReadHeadAsync(socket, buffer, connect);
            }
            catch (OperationCanceledException) when (connect.IsCancellationRequested)
            {
                errors.Endpoint("sse", "timeout");
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or FormatException)
            {
                errors.Endpoint("sse", "connection");
                return;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
            var status = int.TryParse(head.AsSpan(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 0;
            if (status != 200)
            {
                errors.Endpoint("sse", "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var body = Encoding.UTF8.GetString(buffer, headEnd + 4, filled - headEnd - 4);
                refused(status, body.Length > 300 ? body[..300] : body);
                return;
            }

            _connected.TrySetResult(true);
            var chunked = head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
            await ReadAsync(socket, buffer, headEnd + 4, filled, chunked ? new ChunkedDecoder() : null, stop);
        }
        finally
        {
            _connected.TrySetResult(false);
            _ended = true;
        }
    }

    /// <summary>Reads until the end of the answer's head; returns the bytes read and where the blank line starts.</summary>
    private static async Task<(int Filled, int HeadEnd)> ReadHeadAsync(Socket socket, byte[] buffer, CancellationToken connect)
    {
        var filled = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, connect);
            if (read == 0)
            {
                throw new IOException("the server closed the connection before answering");
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (filled, end);
            }

            if (filled == buffer.Length)
            {
                throw new FormatException("answer head too long");
            }
        }
    }

    private async Task ReadAsync(Socket socket, byte[] raw, int start, int end, ChunkedDecoder? chunks, CancellationToken stop)
    {
        // Body bytes, decoded, with a partial line carried over from the last read in front.
        var body = new byte[ReceiveBuffer * 2];
        var filled = 0;
        try
        {
            while (true)
            {
                if (end > start)
                {
                    if (body.Length - filled < end - start)
                    {
                        Array.Resize(ref body, filled + (end - start)); // A line longer than a buffer (rare).
                    }

                    filled += chunks is null ? Copy(raw.AsSpan(start, end - start), body.AsSpan(filled)) : chunks.Decode(raw.AsSpan(start, end - start), body.AsSpan(filled));

                    // One clock read per batch: every event in it arrived at the same moment.
                    var consumed = ProcessLines(body.AsSpan(0, filled), DateTime.UtcNow.Ticks);
                    if (consumed > 0)
                    {
                        body.AsSpan(consumed, filled - consumed).CopyTo(body);
                        filled -= consumed;
                    }

                    if (chunks?.Ended == true)
                    {
                        EndedEarly = true;
                        return;
                    }
                }

                start = 0;
                end = await socket.ReceiveAsync(raw, SocketFlags.None, stop);
                if (end == 0)
                {
                    EndedEarly = true;
                    return;
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Closed by the tool: the run is over.
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException)
        {
            EndedEarly = true;
        }
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    /// <summary>Handles every complete line; returns how many bytes they took.</summary>
    private int ProcessLines(ReadOnlySpan<byte> data, long nowTicks)
    {
        var consumed = 0;
        while (true)
        {
            var newline = data[consumed..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return consumed;
            }

            var line = data.Slice(consumed, newline);
            consumed += newline + 1;
            if (line.StartsWith("data:"u8))
            {
                Data(line[5..], nowTicks);
            }

            // Anything else is an id: line, a ":" keep-alive comment or the blank line ending a frame.
        }
    }

    private void Data(ReadOnlySpan<byte> json, long nowTicks)
    {
        var typeAt = json.IndexOf("\"type\":\""u8);
        var type = typeAt < 0 ? [] : json[(typeAt + 8)..];
        if (type.StartsWith("JobCreated\""u8))
        {
            var at = json.LastIndexOf("\"timestamp\":\""u8);
            if (at < 0 || !UtcTimestamp.TryParse(json[(at + 13)..], out var sent))
            {
                UnreadableEvents++;
                return;
            }

            var micros = Math.Clamp((nowTicks - sent) / TimeSpan.TicksPerMicrosecond, 0, HighestMicros);
            Latency.RecordValue(micros);
            if (micros <= BudgetMicros)
            {
                WithinBudget++;
            }

            Volatile.Write(ref _events, _events + 1);
        }
        else if (type.StartsWith("Error\""u8))
        {
            CutOff = true;
        }
        else
        {
            OtherEvents++;
        }
    }
}
