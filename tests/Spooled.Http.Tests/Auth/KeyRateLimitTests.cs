using System.Net;
using Spooled.Http.Tests.Support;

namespace Spooled.Http.Tests.Auth;

public sealed class KeyRateLimitTests
{
    [Fact]
    public async Task A_keys_own_rate_limit_applies_even_with_the_server_wide_limit_off()
    {
        await using var server = await TestServer.StartAsync();
        var (orgId, key) = await server.CreateTenantAsync();
        var limited = await server.Broker.CreateApiKeyAsync(orgId, "slow", rateLimit: 1);
        using var slow = server.Client(limited.Key);
        using var free = server.Client(key);

        // A burst of twice the rate passes; the next request in the same instant does not.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await slow.GetAsync("/api/v1/jobs/stats")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var refused = await slow.GetAsync("/api/v1/jobs/stats");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal("1", refused.Headers.GetValues("X-RateLimit-Limit").Single());

        // Keys without their own limit are not limited while the server-wide limit is off.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await free.GetAsync("/api/v1/jobs/stats")).StatusCode);
        }
    }
}
