using System.Collections.Concurrent;
using System.Globalization;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;

namespace Spooled.Http.Auth;

/// <summary>
/// A token bucket per API key, off unless <see cref="ServerOptions.RateLimitPerSecond"/> is set.
/// Over the limit the request gets 429 with <c>Retry-After</c>; every limited response carries
/// <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c>.
/// </summary>
public sealed class RateLimiter(ServerOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();

    /// <summary>Takes a token for the key or throws 429.</summary>
    public void Check(HttpContext context, Guid apiKeyId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options.RateLimitPerSecond <= 0)
        {
            return;
        }

        var bucket = _buckets.GetOrAdd(apiKeyId, static (_, burst) => new Bucket(burst), options.RateLimitBurst);
        var now = time.GetTimestamp();
        double remaining;
        bool allowed;
        lock (bucket)
        {
            var elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(options.RateLimitBurst, bucket.Tokens + (elapsed * options.RateLimitPerSecond));
            bucket.Updated = now;
            allowed = bucket.Tokens >= 1;
            if (allowed)
            {
                bucket.Tokens -= 1;
            }

            remaining = bucket.Tokens;
        }

        var headers = context.Response.Headers;
        var resetSeconds = (int)Math.Ceiling((options.RateLimitBurst - remaining) / options.RateLimitPerSecond);
        headers["X-RateLimit-Limit"] = options.RateLimitPerSecond.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = ((int)remaining).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (time.GetUtcNow().ToUnixTimeSeconds() + resetSeconds).ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((1 - remaining) / options.RateLimitPerSecond));
            throw new ApiException(429, "RATE_LIMIT_EXCEEDED", "Too many requests for this API key", [new ErrorDetail("retry_after_seconds", retryAfter.ToString(CultureInfo.InvariantCulture), "rate_limit")])
            {
                Headers = new Dictionary<string, string>
                {
                    ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture),
                    ["X-RateLimit-Limit"] = options.RateLimitPerSecond.ToString(CultureInfo.InvariantCulture),
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
