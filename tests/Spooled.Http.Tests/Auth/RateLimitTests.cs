using System.Net;
using Microsoft.Extensions.Time.Testing;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Auth;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Past_the_burst_a_key_gets_429_with_retry_after_while_other_keys_go_on()
    {
        // A clock that stands still makes "rapid" exact: no token is refilled between requests.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:PerSecond"] = "2", ["RateLimit:Burst"] = "2" }, time);
        var (_, key) = await RegisterAsync(server);
        var (_, otherKey) = await RegisterAsync(server);
        using var client = server.Client(key);

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await client.GetAsync("/api/v1/jobs/stats");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("2", allowed.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal((1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), allowed.Headers.GetValues("X-RateLimit-Remaining").Single());
            Assert.True(long.Parse(allowed.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture) >= time.GetUtcNow().ToUnixTimeSeconds());
        }

        for (var i = 0; i < 2; i++)
        {
            using var limited = await client.GetAsync("/api/v1/organizations");
            await ExpectErrorAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
            Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.Equal("2", limited.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        using var other = server.Client(otherKey);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(other));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client));
    }
}
