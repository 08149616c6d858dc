namespace Spooled.Broker.Events;

/// <summary>
/// Hands durable broker events to subscribers. The broker publishes each event once the record
/// behind it is durable, in the order of the log, and the bus numbers it and keeps it in a ring of
/// the latest events (<see cref="DefaultRecentCapacity"/> unless the bus is made with another
/// capacity). Two kinds of reader:
/// <list type="bullet">
/// <item><see cref="EventSubscription"/>: the bus pushes each matching event into the subscriber's
/// own bounded queue; one that falls too far behind is cut off (<see cref="EventSubscription.Overflowed"/>).</item>
/// <item><see cref="EventCursor"/>: the reader pulls from the ring itself, whenever it likes, so
/// publishing costs nothing per reader; one whose next event has left the ring has fallen behind.
/// Made for fan-out to many streams, which read in batches (<see cref="WhenPublishedAfter"/>).</item>
/// </list>
/// Either kind may resume after the last event it saw, as far back as the ring reaches.
/// </summary>
public sealed class EventBus
{
    /// <summary>Events kept for resuming and for cursors, whatever their organization.</summary>
    public const int DefaultRecentCapacity = 16_384;

    private readonly Lock _lock = new();

    // Event n sits at (n - 1) % length until event n + length replaces it. Written under _lock
    // before _lastSequence moves past it; cursors read it without a lock and check its sequence.
    private readonly BrokerEvent?[] _recent;
    private long _lastSequence;

    // Copy-on-write, so that publishing reads it without allocating and subscribing never
    // disturbs a publication in progress. Replaced only under _lock.
    private Dictionary<string, EventSubscription[]> _byOrg = new(StringComparer.Ordinal);
    private Dictionary<string, int> _cursorsByOrg = new(StringComparer.Ordinal);
    private int _listeners;
    private TaskCompletionSource? _published;

    /// <summary>A bus that keeps the last <paramref name="recentCapacity"/> events.</summary>
    public EventBus(int recentCapacity = DefaultRecentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        _recent = new BrokerEvent?[recentCapacity];
    }

    /// <summary>Whether anyone listens at all: when nobody does, the broker makes no events.</summary>
    public bool HasSubscribers => Volatile.Read(ref _listeners) > 0;

    /// <summary>Sequence of the last event published (0 before the first).</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Whether anyone listens to this organization's events.</summary>
    public bool HasSubscribersFor(string orgId) =>
        Volatile.Read(ref _byOrg).ContainsKey(orgId) || Volatile.Read(ref _cursorsByOrg).ContainsKey(orgId);

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
            var (start, missed) = ResumeFrom(after);
            subscription.MissedEvents = missed;
            for (var sequence = start + 1; sequence <= _lastSequence; sequence++)
            {
                var kept = _recent[Slot(sequence)]!;
                if (string.Equals(kept.OrgId, orgId, StringComparison.Ordinal))
                {
                    subscription.Offer(kept);
                }
            }

            if (!subscription.Overflowed)
            {
                var map = new Dictionary<string, EventSubscription[]>(_byOrg, StringComparer.Ordinal);
                map[orgId] = map.TryGetValue(orgId, out var others) ? [.. others, subscription] : [subscription];
                Volatile.Write(ref _byOrg, map);
                _listeners++;
            }

            return subscription;
        }
    }

    /// <summary>
    /// A cursor over one organization's events, starting after the last event published, or after
    /// <paramref name="after"/> as far back as the ring reaches (<see cref="EventCursor.MissedEvents"/>
    /// tells when it does not, or when the sequence is one this bus never gave out). The
    /// organization counts as listened to until the cursor is disposed.
    /// </summary>
    public EventCursor OpenCursor(string orgId, long? after = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(orgId);
        lock (_lock)
        {
            var (start, missed) = ResumeFrom(after);
            var map = new Dictionary<string, int>(_cursorsByOrg, StringComparer.Ordinal);
            map[orgId] = map.GetValueOrDefault(orgId) + 1;
            Volatile.Write(ref _cursorsByOrg, map);
            _listeners++;
            return new EventCursor(this, orgId, start, missed);
        }
    }

    /// <summary>
    /// Completes once an event after <paramref name="sequence"/> is published (at once when one
    /// already is). Every caller waiting for the same publication shares one task, so this suits a
    /// few waiters that wake many readers, not one waiter per reader.
    /// </summary>
    public Task WhenPublishedAfter(long sequence)
    {
        lock (_lock)
        {
            return _lastSequence > sequence
                ? Task.CompletedTask
                : (_published ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Numbers, keeps and delivers events, in order. Called by the broker only, one batch at a time.</summary>
    internal void Publish(List<BrokerEvent> events)
    {
        TaskCompletionSource? published;
        lock (_lock)
        {
            var map = _byOrg;
            foreach (var @event in events)
            {
                var sequence = _lastSequence + 1;
                @event.Sequence = sequence;
                Volatile.Write(ref _recent[Slot(sequence)], @event);
                Volatile.Write(ref _lastSequence, sequence);
                if (map.TryGetValue(@event.OrgId, out var subscribers))
                {
                    foreach (var subscriber in subscribers)
                    {
                        subscriber.Offer(@event);
                    }
                }
            }

            published = _published;
            _published = null;
        }

        published?.TrySetResult();
    }

    /// <summary>
    /// The kept event with this sequence. Null when it is not published yet (<paramref name="gone"/>
    /// false) or no longer kept (<paramref name="gone"/> true). Reads without a lock.
    /// </summary>
    internal BrokerEvent? Kept(long sequence, out bool gone)
    {
        gone = false;
        if (sequence > Volatile.Read(ref _lastSequence))
        {
            return null;
        }

        // A newer event may have taken the slot since: the sequence tells.
        var kept = Volatile.Read(ref _recent[Slot(sequence)]);
        if (kept is null || kept.Sequence != sequence)
        {
            gone = true;
            return null;
        }

        return kept;
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
            _listeners--;
        }
    }

    internal void Remove(EventCursor cursor)
    {
        lock (_lock)
        {
            var map = new Dictionary<string, int>(_cursorsByOrg, StringComparer.Ordinal);
            var left = map.GetValueOrDefault(cursor.OrgId) - 1;
            if (left > 0)
            {
                map[cursor.OrgId] = left;
            }
            else
            {
                map.Remove(cursor.OrgId);
            }

            Volatile.Write(ref _cursorsByOrg, map);
            _listeners--;
        }
    }

    /// <summary>
    /// Where a reader resuming after <paramref name="after"/> starts (the sequence before its first
    /// event), and whether it missed some: events no longer kept, or an id from before a restart
    /// (sequences start again at 1), after which what happened cannot be told. Under _lock.
    /// </summary>
    private (long Start, bool Missed) ResumeFrom(long? after)
    {
        if (after is not { } last || last >= _lastSequence)
        {
            return (_lastSequence, after > _lastSequence);
        }

        var oldest = Math.Max(1, _lastSequence - _recent.Length + 1);
        return last + 1 < oldest ? (oldest - 1, true) : (Math.Max(last, 0), false);
    }

    private int Slot(long sequence) => (int)((sequence - 1) % _recent.Length);
}
