namespace Spooled.Broker.Events;

/// <summary>
/// Hands durable broker events to subscribers. The broker publishes each event once the record
/// behind it is durable, in the order of the log; a subscriber reads its own bounded queue, and one
/// that falls too far behind is cut off (<see cref="EventSubscription.Overflowed"/>) rather than
/// allowed to hold memory or slow the broker. The latest events (<see cref="DefaultRecentCapacity"/>
/// unless the bus is made with another capacity) are kept so that a subscriber that reconnects can
/// resume after the last event it saw.
/// </summary>
public sealed class EventBus
{
    /// <summary>Events kept for resuming, whatever their organization.</summary>
    public const int DefaultRecentCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly BrokerEvent[] _recent;
    private int _recentNext;
    private int _recentCount;
    private long _lastSequence;

    // Copy-on-write, so that publishing reads it without allocating and subscribing never
    // disturbs a publication in progress. Replaced only under _lock.
    private Dictionary<string, EventSubscription[]> _byOrg = new(StringComparer.Ordinal);
    private int _subscriptions;

    /// <summary>A bus that keeps the last <paramref name="recentCapacity"/> events for resuming.</summary>
    public EventBus(int recentCapacity = DefaultRecentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        _recent = new BrokerEvent[recentCapacity];
    }

    /// <summary>Whether anyone listens at all: when nobody does, the broker makes no events.</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriptions) > 0;

    /// <summary>Sequence of the last event published (0 before the first).</summary>
    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Whether anyone listens to this organization's events.</summary>
    public bool HasSubscribersFor(string orgId) => Volatile.Read(ref _byOrg).ContainsKey(orgId);

    /// <summary>
    /// Subscribes to the events of one organization that pass <paramref name="filter"/> (all when
    /// null). At most <paramref name="capacity"/> events wait unread; one more cuts the subscriber
    /// off. With <paramref name="after"/>, the kept events published after that sequence come first
    /// (<see cref="EventSubscription.MissedEvents"/> tells when some had already been dropped, or
    /// when the sequence is one this bus never gave out).
    /// </summary>
    public EventSubscription Subscribe(string orgId, Func<BrokerEvent, bool>? filter = null, int capacity = 4096, long? after = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(orgId);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        lock (_lock)
        {
            var subscription = new EventSubscription(this, orgId, filter, capacity);

            // An id this bus never gave out comes from before a restart (sequences start again
            // at 1): what happened in between cannot be told, so it counts as missed.
            subscription.MissedEvents = after > _lastSequence;
            if (after is { } last && last < _lastSequence)
            {
                var oldest = _lastSequence - _recentCount + 1;
                subscription.MissedEvents = last + 1 < oldest;
                var start = (_recentNext - _recentCount + _recent.Length) % _recent.Length;
                for (var i = 0; i < _recentCount; i++)
                {
                    var kept = _recent[(start + i) % _recent.Length];
                    if (kept.Sequence > last && string.Equals(kept.OrgId, orgId, StringComparison.Ordinal))
                    {
                        subscription.Offer(kept);
                    }
                }
            }

            if (!subscription.Overflowed)
            {
                var map = new Dictionary<string, EventSubscription[]>(_byOrg, StringComparer.Ordinal);
                map[orgId] = map.TryGetValue(orgId, out var others) ? [.. others, subscription] : [subscription];
                Volatile.Write(ref _byOrg, map);
                _subscriptions++;
            }

            return subscription;
        }
    }

    /// <summary>Numbers, keeps and delivers events, in order. Called by the broker only, one batch at a time.</summary>
    internal void Publish(List<BrokerEvent> events)
    {
        lock (_lock)
        {
            var map = _byOrg;
            foreach (var @event in events)
            {
                @event.Sequence = ++_lastSequence;
                _recent[_recentNext] = @event;
                _recentNext = (_recentNext + 1) % _recent.Length;
                _recentCount = Math.Min(_recentCount + 1, _recent.Length);
                if (map.TryGetValue(@event.OrgId, out var subscribers))
                {
                    foreach (var subscriber in subscribers)
                    {
                        subscriber.Offer(@event);
                    }
                }
            }
        }
    }

    internal void Remove(EventSubscription subscription)
    {
        lock (_lock)
        {
            if (!_byOrg.TryGetValue(subscription.OrgId, out var subscribers) || Array.IndexOf(subscribers, subscription) < 0)
            {
                return;
            }

            var map = new Dictionary<string, EventSubscription[]>(_byOrg, StringComparer.Ordinal);
            var rest = Array.FindAll(subscribers, s => !ReferenceEquals(s, subscription));
            if (rest.Length == 0)
            {
                map.Remove(subscription.OrgId);
            }
            else
            {
                map[subscription.OrgId] = rest;
            }

            Volatile.Write(ref _byOrg, map);
            _subscriptions--;
        }
    }
}
