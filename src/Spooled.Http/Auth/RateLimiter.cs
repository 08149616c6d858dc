using System.Collections.Concurrent;
using System.Globalization;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;

namespace Spooled.Http.Auth;

/// <summary>
/// A token bucket per API key: the key's own <c>rate_limit</c> when it has one (burst twice that),
/// else the server-wide <see cref="ServerOptions.RateLimitPerSecond"/>; off when neither is set.
/// Over the limit the request gets 429 with <c>Retry-After</c>; every limited response carries
/// <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c>.
/// </summary>
public sealed class RateLimiter(ServerOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();

    /// <summary>Takes a token for the key or throws 429.</summary>
    public void Check(HttpContext context, Guid apiKeyId, int? keyRate = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rate = keyRate ?? options.RateLimitPerSecond;
        if (rate <= 0)
        {
            return;
        }

        var burstSize = keyRate is { } own ? own * 2 : options.RateLimitBurst;
        var bucket = _buckets.GetOrAdd(apiKeyId, static (_, burst) => new Bucket(burst), burstSize);
        var now = time.GetTimestamp();
        double remaining;
        bool allowed;
        lock (bucket)
        {
            var elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(burstSize, bucket.Tokens + (elapsed * rate));
            bucket.Updated = now;
            allowed = bucket.Tokens >= 1;
            if (allowed)
            {
                bucket.Tokens -= 1;
            }

            remaining = bucket.Tokens;
        }

        var headers = context.Response.Headers;
        var resetSeconds = (int)Math.Ceiling((burstSize - remaining) / rate);
        headers["X-RateLimit-Limit"] = rate.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = ((int)remaining).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (time.GetUtcNow().ToUnixTimeSeconds() + resetSeconds).ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((1 - remaining) / rate));
            throw new ApiException(429, "RATE_LIMIT_EXCEEDED", "Too many requests for this API key", [new ErrorDetail("retry_after_seconds", retryAfter.ToString(CultureInfo.InvariantCulture), "rate_limit")])
            {
                Headers = new Dictionary<string, string>
                {
                    ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture),
                    ["X-RateLimit-Limit"] = rate.ToString(CultureInfo.InvariantCulture),
                    ["X-RateLimit-Remaining"] = "0",
                    ["X-RateLimit-Reset"] = (time.GetUtcNow().ToUnixTimeSeconds() + retryAfter).ToString(CultureInfo.InvariantCulture),
                },
            };
        }
    }

    private sealed class Bucket(int burst)
    {
        public double Tokens { get; set; } = burst;

        public long Updated { get; set; }
    }
}
