using System.Net;
using Microsoft.Extensions.Time.Testing;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Auth;

public sealed class TokenExpiryTests
{
    [Fact]
    public async Task An_access_token_works_until_its_expiry_plus_the_clock_skew_and_a_refresh_replaces_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Auth:JwtExpirationHours"] = "1" }, time);
        var (_, key) = await RegisterAsync(server);
        using var client = server.Client();
        var login = await ExpectAsync(await client.PostAsync("/api/v1/auth/login", Body($$"""{"api_key":"{{key}}"}""")), HttpStatusCode.OK);
        Assert.Equal(3600, login.GetProperty("expires_in").GetInt64());
        using var withToken = server.Client(login.GetProperty("access_token").GetString());

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(25));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(withToken));

        time.Advance(TimeSpan.FromSeconds(10));
        await ExpectErrorAsync(await withToken.GetAsync("/api/v1/jobs/stats"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var expired = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{login.GetProperty("access_token").GetString()}}"}""")), HttpStatusCode.OK);
        Assert.False(expired.GetProperty("valid").GetBoolean());

        // The refresh token lives 24 times longer.
        var refreshed = await ExpectAsync(await client.PostAsync("/api/v1/auth/refresh", Body($$"""{"refresh_token":"{{login.GetProperty("refresh_token").GetString()}}"}""")), HttpStatusCode.OK);
        using var renewed = server.Client(refreshed.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(renewed));
    }
}
