using Spooled.Broker.Events;

namespace Spooled.Http.Realtime;

/// <summary>
/// One SSE stream: the organization's events that pass its filter, as they become durable, plus
/// what the stream adds itself on a timer (queue stats, system health) and a keep-alive comment when
/// nothing else was sent for <see cref="KeepAlive"/>. Ends when the client goes, when the
/// stream says it is done (a job reached a terminal status), or when the client fell so far behind
/// that its buffer overflowed, after a final <c>Error</c> event saying so.
/// </summary>
internal sealed class SseSession(HttpContext context, EventSubscription subscription, TimeProvider time)
{
    /// <summary>Also ends the stream (the server is stopping: a stream would hold the shutdown for as long as it lasts).</summary>
    public CancellationToken Stopping { get; init; }

    private readonly SseWriter _writer = new(context.Response);

    /// <summary>Something the stream sends on its own every <c>Every</c> (and once at the start).</summary>
    public Func<CancellationToken, Task<byte[]?>>? Periodic { get; init; }

    public TimeSpan Every { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>While events keep coming, how long a stream gathers them before the next write.</summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Silence after which a keep-alive comment is sent.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Decides each event: whether to send it, and whether the stream ends after it (<c>Last</c>).
    /// By default every event is sent and none ends the stream.
    /// </summary>
    public Func<BrokerEvent, (bool Send, bool Last)>? Shape { get; init; }

    /// <summary>Events sent before the live ones (e.g. a job's current status); the stream ends after them when <c>last</c>.</summary>
    public async Task RunAsync(IReadOnlyList<byte[]> first, bool last)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
        var cancel = ended.Token;
        try
        {
            await _writer.StartAsync(cancel);
            if (subscription.MissedEvents)
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

            await LoopAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away, or the server is stopping.
        }
    }

    private async Task LoopAsync(CancellationToken cancel)
    {
        var reader = subscription.Reader;
        var nextPeriodic = time.GetTimestamp();
        var lastSent = time.GetTimestamp();
        Task<bool>? waiting = null;
        while (true)
        {
            if (Periodic is not null && time.GetElapsedTime(nextPeriodic) >= TimeSpan.Zero)
            {
                if (await Periodic(cancel) is { } frame)
                {
                    _writer.Event(frame);
                    lastSent = time.GetTimestamp();
                }

                nextPeriodic = time.GetTimestamp() + (long)(Every.TotalSeconds * time.TimestampFrequency);
            }

            var done = false;
            while (!done && reader.TryRead(out var e))
            {
                var (send, endAfter) = Shape is null ? (true, false) : Shape(e);
                if (send)
                {
                    _writer.Frame(EventEncoder.SseFrame(e));
                    lastSent = time.GetTimestamp();
                }

                done = endAfter;
            }

            if (done)
            {
                await _writer.FlushAsync(cancel);
                return;
            }

            if (reader.Completion.IsCompleted)
            {
                if (subscription.Overflowed)
                {
                    _writer.Event(EventEncoder.Error("This stream fell too far behind the events and was closed; reconnect with Last-Event-ID to resume", time.GetUtcNow()));
                }

                await _writer.FlushAsync(cancel);
                return;
            }

            if (time.GetElapsedTime(lastSent) >= KeepAlive)
            {
                _writer.KeepAlive();
                lastSent = time.GetTimestamp();
            }

            if (!await _writer.FlushAsync(cancel))
            {
                return;
            }

            // Sleep until an event arrives, the next periodic frame is due, or the keep-alive is.
            waiting ??= reader.WaitToReadAsync(cancel).AsTask();
            var untilKeepAlive = KeepAlive - time.GetElapsedTime(lastSent);
            var untilPeriodic = Periodic is null ? Timeout.InfiniteTimeSpan : -time.GetElapsedTime(nextPeriodic);
            var sleep = untilPeriodic == Timeout.InfiniteTimeSpan ? untilKeepAlive : Min(untilKeepAlive, untilPeriodic);
            if (sleep > TimeSpan.Zero && !waiting.IsCompleted)
            {
                await Task.WhenAny(waiting, Task.Delay(sleep, time, cancel)).ConfigureAwait(false);
                cancel.ThrowIfCancellationRequested();
            }

            if (waiting.IsCompleted)
            {
                await waiting; // Surfaces cancellation; false means completed, seen above next turn.
                waiting = null;

                // Busy: events came again within one gather interval of the last write. Let more
                // arrive before writing, so that a stream costs at most one write per interval
                // however fast events come (a thousand streams writing once per event would cost
                // more than the broker's own work).
                if (time.GetElapsedTime(lastSent) < Gather)
                {
                    await Task.Delay(Gather, time, cancel).ConfigureAwait(false);
                }
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
