using System.Diagnostics.CodeAnalysis;

namespace Spooled.Broker.Events;

/// <summary>
/// One reader's place in an <see cref="EventBus"/>'s kept events, for one organization. The reader
/// pulls events when it likes (<see cref="TryRead"/>); the bus does nothing per cursor when it
/// publishes, so a thousand cursors cost publishing nothing. Read from one thread at a time.
/// </summary>
public sealed class EventCursor : IDisposable
{
    private readonly EventBus _bus;
    private string _orgId;
    private int _disposed;

    internal EventCursor(EventBus bus, string orgId, long position, bool missedEvents)
    {
        _bus = bus;
        _orgId = orgId;
        Position = position;
        MissedEvents = missedEvents;
    }

    /// <summary>The organization whose events the cursor reads.</summary>
    public string OrgId => _orgId;

    /// <summary>Sequence of the last event the cursor passed (its organization's or another's).</summary>
    public long Position { get; private set; }

    /// <summary>How many events were published after <see cref="Position"/>, of any organization.</summary>
    public long Behind => Math.Max(0, _bus.LastSequence - Position);

    /// <summary>A resume asked for events older than those the bus still keeps, or for an id it never gave out.</summary>
    public bool MissedEvents { get; }

    /// <summary>The next event the cursor would read is no longer kept: it fell behind, and reads nothing more.</summary>
    public bool FellBehind { get; private set; }

    /// <summary>
    /// The next event of the cursor's organization, passing over others'. False when none is
    /// published yet, or when the cursor fell behind (<see cref="FellBehind"/>).
    /// </summary>
    public bool TryRead([NotNullWhen(true)] out BrokerEvent? @event)
    {
        while (!FellBehind)
        {
            var next = _bus.Kept(Position + 1, out var gone);
            if (next is null)
            {
                FellBehind = gone;
                break;
            }

            Position = next.Sequence;
            if (ReferenceEquals(next.OrgId, _orgId) || string.Equals(next.OrgId, _orgId, StringComparison.Ordinal))
            {
                // The broker's own instance from now on: equal ids then compare by reference,
                // which matters when a thousand cursors test every event.
                _orgId = next.OrgId;
                @event = next;
                return true;
            }
        }

        @event = null;
        return false;
    }

    /// <summary>Stops counting as a listener of the organization (the broker stops making its events when none is left).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _bus.Remove(this);
        }
    }
}
