using Spooled.Broker.Events;
using Spooled.Http.Auth;

namespace Spooled.Http.Realtime;

/// <summary>
/// What one WebSocket wants to see, as an immutable value: the filter given on connect and the
/// filters added by subscribe commands. Before any subscribe command the connect filter alone
/// decides; after one, an event must match some active subscription (and the connect filter's
/// event types, when it named any). Events of queues the caller's key may not use never pass.
/// Immutable so that the bus can test events under its lock while the session's receive loop
/// swaps in a new value (<see cref="With"/>, <see cref="Without"/>) without locking.
/// </summary>
internal sealed class WebSocketSubscriptions
{
    /// <summary>Subscriptions one socket may hold: each is tested for every event of the organization.</summary>
    public const int MaxSubscriptions = 100;

    private readonly Caller _caller;
    private readonly EventFilter _connect;
    private readonly EventFilter[] _active;
    private readonly bool _subscribed;

    private WebSocketSubscriptions(Caller caller, EventFilter connect, EventFilter[] active, bool subscribed)
    {
        _caller = caller;
        _connect = connect;
        _active = active;
        _subscribed = subscribed;
    }

    /// <summary>Subscribe commands currently in force.</summary>
    public int Count => _active.Length;

    /// <summary>The state on connect: only the query's filter.</summary>
    public static WebSocketSubscriptions Initial(Caller caller, EventFilter connect) => new(caller, connect, [], subscribed: false);

    /// <summary>Whether the event goes to the client.</summary>
    public bool Matches(BrokerEvent e)
    {
        if (e.QueueName is { } queue && !_caller.MayUse(queue))
        {
            return false;
        }

        if (!_subscribed)
        {
            return _connect.Matches(e);
        }

        if (!_connect.Wants(e.Kind.ToString()))
        {
            return false;
        }

        foreach (var filter in _active)
        {
            if (filter.Matches(e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds a subscription, replacing one on the same queue, job and worker.</summary>
    public WebSocketSubscriptions With(EventFilter filter)
    {
        var index = IndexOf(filter);
        var active = index >= 0 ? (EventFilter[])_active.Clone() : [.. _active, filter];
        if (index >= 0)
        {
            active[index] = filter;
        }

        return new WebSocketSubscriptions(_caller, _connect, active, subscribed: true);
    }

    /// <summary>
    /// Removes the subscription on the same queue, job and worker (if any). Removing the last one
    /// leaves the socket subscribed to nothing, as the client asked; an unsubscribe before any
    /// subscribe changes nothing.
    /// </summary>
    public WebSocketSubscriptions Without(EventFilter filter)
    {
        var index = IndexOf(filter);
        return index < 0
            ? this
            : new WebSocketSubscriptions(_caller, _connect, [.. _active[..index], .. _active[(index + 1)..]], _subscribed);
    }

    /// <summary>Whether adding <paramref name="filter"/> would replace an existing subscription.</summary>
    public bool Has(EventFilter filter) => IndexOf(filter) >= 0;

    private int IndexOf(EventFilter filter)
    {
        for (var i = 0; i < _active.Length; i++)
        {
            var other = _active[i];
            if (string.Equals(other.Queue, filter.Queue, StringComparison.Ordinal) && other.JobId == filter.JobId
                && string.Equals(other.WorkerId, filter.WorkerId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
