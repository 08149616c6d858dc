using System.Threading.Channels;

namespace Spooled.Broker.Events;

/// <summary>
/// One subscriber's view of an <see cref="EventBus"/>: its events, in order, in a bounded queue.
/// Read <see cref="Reader"/> until it completes; it completes when the subscription is disposed or
/// when the subscriber fell <see cref="EventBus.Subscribe"/>'s capacity behind
/// (<see cref="Overflowed"/>).
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventBus _bus;
    private readonly Func<BrokerEvent, bool>? _filter;
    private readonly Channel<BrokerEvent> _channel;
    private volatile bool _overflowed;

    internal EventSubscription(EventBus bus, string orgId, Func<BrokerEvent, bool>? filter, int capacity)
    {
        _bus = bus;
        OrgId = orgId;
        _filter = filter;
        _channel = Channel.CreateBounded<BrokerEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true, // The bus delivers under its lock.
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing waits.
        });
    }

    /// <summary>The organization whose events this subscriber sees.</summary>
    public string OrgId { get; }

    /// <summary>The subscriber's events, in the order of publication.</summary>
    public ChannelReader<BrokerEvent> Reader => _channel.Reader;

    /// <summary>The subscriber fell too far behind and was cut off; events after that were not delivered.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>A resume asked for events older than those the bus still keeps: some were never delivered.</summary>
    public bool MissedEvents { get; internal set; }

    /// <summary>Delivers one event if it passes the filter; cuts the subscriber off when its queue is full.</summary>
    internal void Offer(BrokerEvent @event)
    {
        if (_overflowed || (_filter is not null && !_filter(@event)))
        {
            return;
        }

        if (!_channel.Writer.TryWrite(@event))
        {
            _overflowed = true;
            _channel.Writer.TryComplete();
            _bus.Remove(this);
        }
    }

    /// <summary>Stops delivery and completes <see cref="Reader"/> (events already queued can still be read).</summary>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _bus.Remove(this);
    }
}
