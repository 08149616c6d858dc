using System.Collections.Concurrent;
using Spooled.Http.Auth;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;

namespace Spooled.Http.Realtime;

/// <summary>
/// Counts the live streams (SSE and WebSocket) open per API key and per organization, and refuses
/// one more than the configured maximum with 429: a stream holds a connection and a buffer for as
/// long as it lasts, so one tenant must not be able to hold them all.
/// </summary>
internal sealed class StreamLimiter(ServerOptions options)
{
    private readonly ConcurrentDictionary<Guid, int> _perKey = new();
    private readonly ConcurrentDictionary<string, int> _perOrganization = new(StringComparer.Ordinal);

    /// <summary>Takes a stream slot for the caller (release it by disposing the result) or throws 429.</summary>
    public StreamLease Acquire(Caller caller)
    {
        if (!TryTake(_perKey, caller.ApiKeyId, options.MaxStreamsPerKey))
        {
            throw TooMany($"This API key already holds {options.MaxStreamsPerKey} live streams");
        }

        if (!TryTake(_perOrganization, caller.OrganizationId, options.MaxStreamsPerOrganization))
        {
            Release(_perKey, caller.ApiKeyId);
            throw TooMany($"This organization already holds {options.MaxStreamsPerOrganization} live streams");
        }

        return new StreamLease(() =>
        {
            Release(_perKey, caller.ApiKeyId);
            Release(_perOrganization, caller.OrganizationId);
        });
    }

    private static ApiException TooMany(string message) => new(429, "TOO_MANY_STREAMS", message)
    {
        Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
    };

    private static bool TryTake<TKey>(ConcurrentDictionary<TKey, int> counts, TKey key, int max)
        where TKey : notnull
    {
        while (true)
        {
            var current = counts.GetOrAdd(key, 0);
            if (current >= max)
            {
                return false;
            }

            if (counts.TryUpdate(key, current + 1, current))
            {
                return true;
            }
        }
    }

    private static void Release<TKey>(ConcurrentDictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        while (counts.TryGetValue(key, out var current))
        {
            if (current <= 1 ? counts.TryRemove(new KeyValuePair<TKey, int>(key, current)) : counts.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }
}
