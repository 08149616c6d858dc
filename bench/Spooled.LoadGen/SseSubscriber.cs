using System.Net.Http.Headers;
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

    private const int InitialBuffer = 8192;

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
    /// refusal's body is handed to <paramref name="refused"/> so the user sees why.
    /// </summary>
    public async Task RunAsync(HttpClient http, Uri uri, ErrorTally errors, Action<int, string> refused, CancellationToken connect, CancellationToken stop)
    {
        HttpResponseMessage? response = null;
        try
        {
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect);
                }
                catch (HttpRequestException)
                {
                    errors.Endpoint("sse", "connection");
                    return;
                }
                catch (OperationCanceledException) when (connect.IsCancellationRequested)
                {
                    errors.Endpoint("sse", "timeout");
                    return;
                }
            }

            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                errors.Endpoint("sse", "http_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture));
                refused(code, await ReadBodyAsync(response));
                return;
            }

            _connected.TrySetResult(true);
            await ReadAsync(response, stop);
        }
        finally
        {
            _connected.TrySetResult(false);
            _ended = true;
            response?.Dispose();
        }
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken stop)
    {
        var buffer = new byte[InitialBuffer];
        var filled = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(stop);
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // One line longer than the buffer (events are a few hundred bytes; rare).
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), stop);
                if (read == 0)
                {
                    EndedEarly = true;
                    return;
                }

                filled += read;
                // One clock read per batch: every event in it arrived at the same moment.
                var consumed = ProcessLines(buffer.AsSpan(0, filled), DateTime.UtcNow.Ticks);
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Closed by the tool: the run is over.
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            EndedEarly = true;
        }
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

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }
}
