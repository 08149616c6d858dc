using Spooled.Broker.Events;

namespace Spooled.Http.Realtime;

/// <summary>
/// One SSE stream: the organization's events that pass its filter, as they become durable, plus
/// what the stream adds itself (queue stats, system health) and a keep-alive comment when nothing
/// else was sent for <see cref="KeepAlive"/>. The stream reads the broker's kept events through its
/// own cursor whenever the <see cref="StreamPulse"/> wakes it, so publishing an event costs nothing
/// per stream. Ends when the client goes, when the stream says it is done (a job reached a terminal
/// status), or, after a final <c>Error</c> event saying so, when the client fell so far behind
/// that the events it had not read were no longer kept or it stopped reading.
/// </summary>
internal sealed class SseSession(HttpContext context, EventCursor cursor, StreamPulse pulse, TimeProvider time)
{
    /// <summary>Frames written between two flushes at most, so that a stream catching up holds a bounded buffer.</summary>
    private const int MaxFramesPerFlush = 256;

    private readonly SseWriter _writer = new(context.Response);

    // One pending wake-up at most: a stream that was woken twice before it looked runs once.
    private readonly WakeSignal _wake = new();

    private volatile bool _flushing;
    private volatile bool _cutOff;
    private long _positionAtLastPulse = -1;

    /// <summary>Also ends the stream (the server is stopping: a stream would hold the shutdown for as long as it lasts).</summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>Something the stream sends on its own every <c>Every</c> (and once at the start).</summary>
    public Func<CancellationToken, Task<byte[]?>>? Periodic { get; init; }

    public TimeSpan Every { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Silence after which a keep-alive comment is sent.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Decides each event of the organization: whether to send it (the stream's filter), and
    /// whether the stream ends after it (<c>Last</c>).
    /// </summary>
    public required Func<BrokerEvent, (bool Send, bool Last)> Shape { get; init; }

    /// <summary>Events sent before the live ones (e.g. a job's current status); the stream ends after them when <c>last</c>.</summary>
    public async Task RunAsync(IReadOnlyList<byte[]> first, bool last)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
        var cancel = ended.Token;
        // Woken through the thread pool: the turn must not run inside the cancellation's callback.
        using var onEnded = cancel.Register(static s => ThreadPool.UnsafeQueueUserWorkItem(static s => s.Wake(), (SseSession)s!, preferLocal: false), this);
        try
        {
            await _writer.StartAsync(cancel);
            if (cursor.MissedEvents)
            {
                _writer.Event(EventEncoder.Error("Some events since the given Last-Event-ID are no longer kept; the stream resumes from the oldest kept", time.GetUtcNow()));
            }

            foreach (var frame in first)
            {
                _writer.Event(frame);
            }

            if (last || !await _writer.FlushAsync(cancel))
            {
                await _writer.FlushAsync(cancel);
                return;
            }

            pulse.Add(this);
            try
            {
                await LoopAsync(cancel);
            }
            finally
            {
                pulse.Remove(this);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away, or the server is stopping.
        }
    }

    /// <summary>
    /// Makes the stream look for new events, frames that are due, and whether it should end. The
    /// turn runs on the calling thread when the stream was waiting (<see cref="WakeSignal"/>).
    /// </summary>
    public void Wake() => _wake.Set();

    /// <summary>
    /// Cuts the stream off when it is stuck writing to a client that does not read (no progress
    /// since the last pulse) while more than <paramref name="maxBehind"/> events went by: its
    /// unsent frames are dropped and it ends with an <c>Error</c> event. Called by the pulse only.
    /// </summary>
    public void CutOffIfStalled(int maxBehind)
    {
        var position = cursor.Position;
        var stalled = _flushing && position == _positionAtLastPulse && cursor.Behind > maxBehind;
        _positionAtLastPulse = position;
        if (stalled && !_cutOff)
        {
            _cutOff = true;
            cursor.Dispose(); // The broker need not keep making events for this stream.
            context.Response.BodyWriter.CancelPendingFlush();
        }
    }

    private async Task LoopAsync(CancellationToken cancel)
    {
        var nextPeriodic = time.GetTimestamp();
        var lastSent = time.GetTimestamp();
        while (!cancel.IsCancellationRequested)
        {
            // The pulse wakes a quiet stream once per IdleWake, not at the exact moment something
            // is due: what falls due before the next wake goes now, so that "every 5 s" never
            // becomes 6 (intervals land between Every - IdleWake and Every).
            if (Periodic is not null && time.GetElapsedTime(nextPeriodic) >= -Early(Every))
            {
                if (await Periodic(cancel) is { } frame)
                {
                    _writer.Event(frame);
                    lastSent = time.GetTimestamp();
                }

                nextPeriodic = time.GetTimestamp() + (long)(Every.TotalSeconds * time.TimestampFrequency);
            }

            var written = 0;
            var sent = false;
            while (!_cutOff && cursor.TryRead(out var e))
            {
                var (send, endAfter) = Shape(e);
                if (send)
                {
                    _writer.Frame(EventEncoder.SseFrame(e));
                    written++;
                    sent = true;
                }

                if (endAfter)
                {
                    await FlushAsync(cancel);
                    return;
                }

                if (written == MaxFramesPerFlush)
                {
                    if (!await FlushAsync(cancel))
                    {
                        break;
                    }

                    written = 0;
                }
            }

            if (sent)
            {
                lastSent = time.GetTimestamp();
            }

            if (_cutOff || cursor.FellBehind)
            {
                _writer.Event(EventEncoder.Error("This stream fell too far behind the events and was closed; reconnect with Last-Event-ID to resume", time.GetUtcNow()));
                await _writer.FlushAsync(cancel);
                return;
            }

            if (time.GetElapsedTime(lastSent) >= KeepAlive - Early(KeepAlive))
            {
                _writer.KeepAlive();
                lastSent = time.GetTimestamp();
            }

            if (!await FlushAsync(cancel))
            {
                if (_cutOff)
                {
                    continue; // To the Error event above.
                }

                return;
            }

            await _wake.WaitAsync();
        }
    }

    /// <summary>How early something due every <paramref name="interval"/> may go: one idle wake, at most half the interval.</summary>
    private static TimeSpan Early(TimeSpan interval) => interval / 2 < StreamPulse.IdleWake ? interval / 2 : StreamPulse.IdleWake;

    /// <summary>Sends what was written; false when the client has gone or the stream was cut off meanwhile.</summary>
    private async ValueTask<bool> FlushAsync(CancellationToken cancel)
    {
        _flushing = true;
        try
        {
            return await _writer.FlushAsync(cancel) && !_cutOff;
        }
        finally
        {
            _flushing = false;
        }
    }
}
