using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spooled.Broker.Events;
using Spooled.Broker.Tests.Support;

namespace Spooled.Broker.Tests.Events;

/// <summary>
/// Cursors over the bus's kept events: each reads its organization's events in publication order,
/// none twice and none skipped, until the events it has not read are no longer kept; then it says
/// it fell behind instead of skipping ahead.
/// </summary>
public sealed class EventCursorTests
{
    [Fact]
    public void A_cursor_reads_its_organizations_events_published_after_it_opened_in_order()
    {
        var bus = new EventBus(recentCapacity: 16);
        bus.Publish([Event("o", 1)]);
        using var cursor = bus.OpenCursor("o");
        bus.Publish([Event("o", 2), Event("x", 3), Event("o", 4)]);

        Assert.Equal([2, 4], ReadAll(cursor));
        Assert.False(cursor.FellBehind);
        Assert.Equal(4, cursor.Position); // It passed the other organization's event too.

        bus.Publish([Event("x", 5)]);
        Assert.Empty(ReadAll(cursor));
        Assert.Equal(5, cursor.Position);
    }

    [Fact]
    public void An_open_cursor_keeps_its_organization_listened_to_until_disposed()
    {
        var bus = new EventBus();
        Assert.False(bus.HasSubscribers);
        var first = bus.OpenCursor("o");
        var second = bus.OpenCursor("o");
        Assert.True(bus.HasSubscribersFor("o"));
        Assert.False(bus.HasSubscribersFor("x"));

        first.Dispose();
        first.Dispose(); // Twice counts once.
        Assert.True(bus.HasSubscribersFor("o"));
        second.Dispose();
        Assert.False(bus.HasSubscribersFor("o"));
        Assert.False(bus.HasSubscribers);
    }

    [Fact]
    public void A_cursor_whose_next_event_left_the_ring_fell_behind_and_reads_nothing_more()
    {
        var bus = new EventBus(recentCapacity: 4);
        using var exact = bus.OpenCursor("o");
        using var late = bus.OpenCursor("o");
        bus.Publish([Event("o", 1), Event("o", 2), Event("o", 3), Event("o", 4)]);
        Assert.Equal([1, 2, 3, 4], ReadAll(exact)); // Exactly as many as are kept: nothing lost.

        bus.Publish([Event("o", 5)]);
        Assert.Equal(5, late.Behind);
        Assert.Empty(ReadAll(late));
        Assert.True(late.FellBehind);
        bus.Publish([Event("o", 6)]);
        Assert.Empty(ReadAll(late));
    }

    [Fact]
    public void Resuming_starts_after_the_given_event_while_it_is_kept_and_says_when_some_are_missed()
    {
        var bus = new EventBus(recentCapacity: 4);
        bus.Publish([Event("o", 1), Event("x", 2), Event("o", 3)]);

        using var resumed = bus.OpenCursor("o", after: 1);
        Assert.False(resumed.MissedEvents);
        Assert.Equal([3], ReadAll(resumed));

        bus.Publish([Event("o", 4), Event("o", 5), Event("o", 6), Event("o", 7)]);
        using var late = bus.OpenCursor("o", after: 2);
        Assert.True(late.MissedEvents); // Event 3 is no longer kept.
        Assert.Equal([4, 5, 6, 7], ReadAll(late));

        using var fromBefore = bus.OpenCursor("o", after: 50); // An id this bus never gave out.
        Assert.True(fromBefore.MissedEvents);
        Assert.Empty(ReadAll(fromBefore));
        bus.Publish([Event("o", 8)]);
        Assert.Equal([8], ReadAll(fromBefore));

        using var current = bus.OpenCursor("o", after: 8);
        Assert.False(current.MissedEvents);
    }

    [Fact]
    public async Task Waiting_for_a_publication_completes_when_one_comes_or_at_once_when_it_came()
    {
        var bus = new EventBus();
        var waiting = bus.WhenPublishedAfter(0);
        Assert.Same(waiting, bus.WhenPublishedAfter(0)); // Waiters share one task.
        Assert.False(waiting.IsCompleted);

        bus.Publish([Event("o", 1)]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(bus.WhenPublishedAfter(0).IsCompleted);
        Assert.False(bus.WhenPublishedAfter(1).IsCompleted);
    }

    /// <summary>
    /// Any interleaving of publications (of two organizations) and reads: the cursor reads exactly
    /// its organization's events in order until it lags more than the ring keeps, and only then
    /// says it fell behind.
    /// </summary>
    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property Reads_are_exactly_the_organizations_events_until_the_cursor_lags_more_than_is_kept() =>
        Prop.ForAll(Steps(), steps =>
        {
            const int capacity = 8;
            var bus = new EventBus(capacity);
            using var cursor = bus.OpenCursor("o");
            var published = new List<(long Sequence, string Org, int Marker)>();
            var read = new List<int>();
            var marker = 0;
            long readUpTo = 0; // The sequence of the last event the cursor had passed.
            var shouldFallBehind = false;
            foreach (var (publish, orgIsMine) in steps)
            {
                if (publish > 0)
                {
                    var batch = new List<BrokerEvent>();
                    for (var i = 0; i < publish; i++)
                    {
                        var org = (orgIsMine + i) % 2 == 0 ? "o" : "x";
                        batch.Add(Event(org, ++marker));
                        published.Add((published.Count + 1, org, marker));
                    }

                    bus.Publish(batch);
                    continue;
                }

                shouldFallBehind |= published.Count - readUpTo > capacity;
                read.AddRange(ReadAll(cursor));
                if (!shouldFallBehind)
                {
                    readUpTo = published.Count;
                }
            }

            var expected = published.FindAll(p => p.Org == "o" && p.Sequence <= readUpTo).ConvertAll(p => p.Marker);
            // A cursor that lags too far reads nothing at all from then on, not what is still kept.
            return cursor.FellBehind == shouldFallBehind && read.SequenceEqual(expected);
        });

    /// <summary>Steps: (n, start) publishes n events alternating organizations from start; (0, _) reads everything readable.</summary>
    private static Arbitrary<(int Publish, int Org)[]> Steps() =>
        Gen.Zip(Gen.Frequency((2, Gen.Choose(1, 6)), (1, Gen.Constant(0))), Gen.Choose(0, 1)).ArrayOf().ToArbitrary();

    private static List<int> ReadAll(EventCursor cursor)
    {
        var markers = new List<int>();
        while (cursor.TryRead(out var e))
        {
            Assert.Equal("o", e.OrgId);
            markers.Add(e.Priority);
        }

        return markers;
    }

    private static BrokerEvent Event(string org, int marker) =>
        new() { Kind = BrokerEventKind.JobCreated, OrgId = org, Priority = marker, Timestamp = BrokerFixture.Epoch };
}
