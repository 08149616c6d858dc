using System.Collections.Concurrent;

namespace Spooled.LoadGen;

/// <summary>
/// Counts failed requests by HTTP status and by kind (connection, timeout, refused items). Lock-free
/// counters because every producer and worker reports here; a failed request is a number in the
/// report, never an exception that stops the run.
/// </summary>
internal sealed class ErrorTally
{
    private readonly long[] _byStatus = new long[600];
    private long _connection;
    private long _timeout;
    private long _itemFailures;
    private long _badResponse;

    /// <summary>Failures of routes other than the job routes, keyed <c>endpoint_kind</c> (e.g. <c>sse_http_429</c>).</summary>
    private readonly ConcurrentDictionary<string, long> _byEndpoint = new(StringComparer.Ordinal);

    public void Status(int code) => Interlocked.Increment(ref _byStatus[Math.Clamp(code, 0, _byStatus.Length - 1)]);

    public void Connection() => Interlocked.Increment(ref _connection);

    public void Timeout() => Interlocked.Increment(ref _timeout);

    /// <summary>Items a bulk enqueue or batch acknowledgement refused inside a 200 answer.</summary>
    public void ItemFailures(int count) => Interlocked.Add(ref _itemFailures, count);

    /// <summary>A 2xx answer whose body could not be read.</summary>
    public void BadResponse() => Interlocked.Increment(ref _badResponse);

    /// <summary>A failure of <paramref name="endpoint"/>, e.g. <c>("sse", "http_429")</c>; rare, so a dictionary is cheap enough.</summary>
    public void Endpoint(string endpoint, string kind) => _byEndpoint.AddOrUpdate(endpoint + "_" + kind, 1, static (_, count) => count + 1);

    public long Total
    {
        get
        {
            var total = Volatile.Read(ref _connection) + Volatile.Read(ref _timeout) + Volatile.Read(ref _itemFailures) + Volatile.Read(ref _badResponse);
            for (var i = 0; i < _byStatus.Length; i++)
            {
                total += Volatile.Read(ref _byStatus[i]);
            }

            foreach (var (_, count) in _byEndpoint)
            {
                total += count;
            }

            return total;
        }
    }

    public long Unauthorized => Volatile.Read(ref _byStatus[401]);

    public SortedDictionary<string, long> Snapshot()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _byStatus.Length; i++)
        {
            if (Volatile.Read(ref _byStatus[i]) is > 0 and var count)
            {
                result["http_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = count;
            }
        }

        Add(result, "connection", _connection);
        Add(result, "timeout", _timeout);
        Add(result, "item_failed", _itemFailures);
        Add(result, "bad_response", _badResponse);
        foreach (var (name, count) in _byEndpoint)
        {
            result[name] = count;
        }

        return result;
    }

    private static void Add(SortedDictionary<string, long> result, string name, long count)
    {
        if (count > 0)
        {
            result[name] = count;
        }
    }
}
