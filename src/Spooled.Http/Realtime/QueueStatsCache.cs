using System.Collections.Concurrent;
using Spooled.Broker;

namespace Spooled.Http.Realtime;

/// <summary>
/// A queue's stats as the queue streams report them, read from the broker at most once a second
/// per queue however many streams watch it: each read goes through the broker's engine, and a
/// thousand dashboards on one queue must not cost a thousand reads every few seconds.
/// </summary>
internal sealed class QueueStatsCache(JobBroker broker, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan s_fresh = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string Org, string Queue), (long At, Task<QueueStats> Stats)> _entries = new();

    /// <summary>The queue's stats; a queue nothing has named yet reads as empty.</summary>
    public async Task<QueueStats> GetAsync(string orgId, string queue)
    {
        var key = (orgId, queue);
        var now = time.GetTimestamp();
        if (!_entries.TryGetValue(key, out var entry) || time.GetElapsedTime(entry.At, now) > s_fresh || entry.Stats.IsFaulted)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear(); // Queues nobody watches any more; the rest are read again.
            }

            entry = (now, ReadAsync(orgId, queue));
            _entries[key] = entry;
        }

        return await entry.Stats;
    }

    private async Task<QueueStats> ReadAsync(string orgId, string queue)
    {
        try
        {
            return await broker.GetQueueStatsAsync(orgId, queue);
        }
        catch (BrokerException error) when (error.Code == BrokerErrorCode.NotFound)
        {
            return new QueueStats(queue, 0, 0, 0, 0, 0, null, null, 0, false);
        }
    }
}
