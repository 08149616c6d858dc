using System.Collections.Concurrent;
using Spooled.Broker.Events;

namespace Spooled.Broker;

/// <content>
/// Publishing events once they are durable, in the order of the log. Each append's events wait in
/// <see cref="_unpublished"/> in the order the engine appended them; when an append is durable its
/// entry is marked, and whoever marks drains every marked entry from the front. The log makes its
/// appends durable in order, so an entry marked before an earlier one waits for it: subscribers
/// never see a change before one it followed.
/// </content>
public sealed partial class JobBroker
{
    private readonly ConcurrentQueue<PendingEvents> _unpublished = new();
    private readonly Lock _publishLock = new();
    private EventCollector? _collector;

    /// <summary>Durable changes as events, for live streams (SSE, WebSocket).</summary>
    public EventBus Events { get; }

    /// <summary>Turns on the collection of events for this turn when anyone listens (engine thread).</summary>
    private void CollectEventsIfListened() =>
        _engine.State.Events = Events.HasSubscribers ? (_collector ??= new EventCollector(Events)) : null;

    /// <summary>Queues the events gathered since the last append, in log order; null when there are none.</summary>
    private PendingEvents? TakeEvents()
    {
        if (_collector?.Take() is not { } events)
        {
            return null;
        }

        var pending = new PendingEvents(events);
        _unpublished.Enqueue(pending);
        return pending;
    }

    /// <summary>Marks an append's events durable (or dropped, when it failed) and publishes what is due.</summary>
    private void Durable(PendingEvents? pending, bool kept)
    {
        if (pending is null)
        {
            return;
        }

        if (!kept)
        {
            pending.Events.Clear();
        }

        Volatile.Write(ref pending.Durable, true);
        lock (_publishLock)
        {
            while (_unpublished.TryPeek(out var next) && Volatile.Read(ref next.Durable))
            {
                _unpublished.TryDequeue(out _);
                if (next.Events.Count > 0)
                {
                    Events.Publish(next.Events);
                }
            }
        }
    }

    /// <summary>The events of one append, waiting for it to be durable.</summary>
    private sealed class PendingEvents(List<BrokerEvent> events)
    {
        public readonly List<BrokerEvent> Events = events;
        public bool Durable;
    }
}
