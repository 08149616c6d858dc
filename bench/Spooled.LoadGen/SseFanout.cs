using HdrHistogram;

namespace Spooled.LoadGen;

/// <summary>
/// The <c>--sse-subscribers</c> streams: opened before the workload (the run waits until every one
/// has its answer headers, so no JobCreated event is published before all are listening), read
/// while the workload runs, given a short tail afterwards for events still in flight, then closed
/// and summed into an <see cref="SseReport"/>. Each holds its own connection for the whole run
/// (<see cref="SseSubscriber"/>), apart from the producers' pool.
/// </summary>
internal sealed class SseFanout : IDisposable
{
    /// <summary>How long every stream together may take to answer; a stream still waiting then counts as a timeout.</summary>
    private static readonly TimeSpan s_connectLimit = TimeSpan.FromSeconds(30);

    private readonly string _apiKey;
    private readonly ErrorTally _errors;
    private readonly Uri _server;
    private readonly string _path;
    private readonly string _events;
    private readonly SseSubscriber[] _subscribers;
    private readonly Task[] _running;
    private readonly CancellationTokenSource _stop = new();
    private double _connectSeconds;
    private double _tailSeconds;
    private int _refused;

    public SseFanout(LoadGenOptions options, ErrorTally errors)
    {
        _errors = errors;
        _events = options.SseEvents;
        _server = options.Url;
        _path = new Uri(options.Url, "api/v1/events/queues/" + Uri.EscapeDataString(options.Queue) + "?events=" + Uri.EscapeDataString(options.SseEvents)).PathAndQuery;
        _apiKey = options.ApiKey;
        _subscribers = new SseSubscriber[options.SseSubscribers];
        _running = new Task[options.SseSubscribers];
    }

    /// <summary>JobCreated events received by all streams so far, for the progress line.</summary>
    public long EventsReceived
    {
        get
        {
            long total = 0;
            foreach (var subscriber in _subscribers)
            {
                total += subscriber?.Events ?? 0;
            }

            return total;
        }
    }

    /// <summary>Opens every stream and returns once each has answered (or failed, or timed out).</summary>
    public async Task OpenAsync(CancellationToken interrupt)
    {
        var start = Clock.Now;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(interrupt))
        {
            connect.CancelAfter(s_connectLimit);
            for (var i = 0; i < _subscribers.Length; i++)
            {
                var subscriber = new SseSubscriber();
                _subscribers[i] = subscriber;
                _running[i] = subscriber.RunAsync(_server, _path, _apiKey, _errors, Refused, connect.Token, _stop.Token);
            }

            await Task.WhenAll(_subscribers.Select(s => s.Connected));
        }

        _connectSeconds = Math.Round(Clock.Seconds(start, Clock.Now), 3);
        interrupt.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Keeps reading until every live stream has <paramref name="expected"/> JobCreated events or
    /// <paramref name="limit"/> has passed, then closes all streams.
    /// </summary>
    public async Task FinishAsync(long expected, TimeSpan limit, CancellationToken interrupt)
    {
        var start = Clock.Now;
        while (!interrupt.IsCancellationRequested && Clock.Seconds(start, Clock.Now) < limit.TotalSeconds
            && !_subscribers.All(s => s.Ended || s.Events >= expected))
        {
            await Task.Delay(10, CancellationToken.None);
        }

        _tailSeconds = Math.Round(Clock.Seconds(start, Clock.Now), 3);
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    /// <summary>The summary; call after <see cref="FinishAsync"/>, when no stream writes its counters any more.</summary>
    public SseReport Report(long expected)
    {
        var report = new SseReport
        {
            Events = _events,
            SubscribersRequested = _subscribers.Length,
            ConnectSeconds = _connectSeconds,
            TailSeconds = _tailSeconds,
            ExpectedPerSubscriber = expected,
        };
        var latency = new LongHistogram(1, SseSubscriber.HighestMicros, SseSubscriber.SignificantDigits);
        long withinBudget = 0;
        var min = long.MaxValue;
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Connected.Result)
            {
                continue;
            }

            report.SubscribersConnected++;
            report.EventsReceived += subscriber.Events;
            min = Math.Min(min, subscriber.Events);
            report.EventsMaxPerSubscriber = Math.Max(report.EventsMaxPerSubscriber, subscriber.Events);
            report.SubscribersComplete += subscriber.Events >= expected ? 1 : 0;
            report.OtherEvents += subscriber.OtherEvents;
            report.UnreadableEvents += subscriber.UnreadableEvents;
            report.SubscribersCutOff += subscriber.CutOff ? 1 : 0;
            report.SubscribersDisconnectedEarly += subscriber.EndedEarly && !subscriber.CutOff ? 1 : 0;
            latency.Add(subscriber.Latency);
            withinBudget += subscriber.WithinBudget;
        }

        report.EventsMinPerSubscriber = report.SubscribersConnected > 0 ? min : 0;
        report.Latency = LatencyReport.Of(latency);
        report.ShareWithin50Ms = latency.TotalCount > 0 ? Math.Round(withinBudget / (double)latency.TotalCount, 6) : 0;
        return report;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    /// <summary>Shows the first refusal's reason on stderr; the rest are only counted.</summary>
    private void Refused(int status, string body)
    {
        if (Interlocked.Exchange(ref _refused, 1) == 0 && status != 429)
        {
            Console.Error.WriteLine($"sse: the server refused a stream with {status}: {body}");
        }
    }
}
