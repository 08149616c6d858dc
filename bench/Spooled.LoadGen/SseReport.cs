using System.Text.Json.Serialization;

namespace Spooled.LoadGen;

/// <summary>
/// What the live-event subscribers (<c>--sse-subscribers</c>) saw: how many streams opened, how many
/// <c>JobCreated</c> events reached them, and how late. Event counts are per subscriber because a
/// fan-out that starves some subscribers shows up in the minimum, not in the total.
/// </summary>
internal sealed class SseReport
{
    /// <summary>The <c>events</c> filter the streams were opened with.</summary>
    public string Events { get; set; } = "";

    public int SubscribersRequested { get; set; }

    /// <summary>Streams answered with 200; the others are in the run's errors under <c>sse_…</c>.</summary>
    public int SubscribersConnected { get; set; }

    /// <summary>Seconds from opening the first stream until every stream had its answer headers.</summary>
    public double ConnectSeconds { get; set; }

    /// <summary>JobCreated events each subscriber should have received: the jobs the server accepted.</summary>
    public long ExpectedPerSubscriber { get; set; }

    /// <summary>JobCreated events received by all subscribers together.</summary>
    public long EventsReceived { get; set; }

    public long EventsMinPerSubscriber { get; set; }

    public long EventsMaxPerSubscriber { get; set; }

    /// <summary>Connected subscribers that received every expected JobCreated event.</summary>
    public int SubscribersComplete { get; set; }

    /// <summary>Other <c>data:</c> frames (e.g. <c>QueueStats</c>, or other types the filter asked for).</summary>
    public long OtherEvents { get; set; }

    /// <summary>Frames whose JobCreated timestamp could not be read (not in the latency figures).</summary>
    public long UnreadableEvents { get; set; }

    /// <summary>Subscribers the server cut off with an <c>Error</c> event (they fell too far behind).</summary>
    public int SubscribersCutOff { get; set; }

    /// <summary>Subscribers whose stream ended before the tool closed it, without an <c>Error</c> event.</summary>
    public int SubscribersDisconnectedEarly { get; set; }

    /// <summary>Seconds spent after the workload waiting for the last events (at most 2).</summary>
    public double TailSeconds { get; set; }

    /// <summary>Event time (the server's timestamp) to receipt, over every JobCreated event received.</summary>
    public LatencyReport? Latency { get; set; }

    /// <summary>Fraction (0..1) of received JobCreated events that arrived within 50 ms of their timestamp.</summary>
    [JsonPropertyName("share_within_50ms")]
    public double ShareWithin50Ms { get; set; }
}
