using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Spooled.Http.Tests.Tenancy;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Auth;

public sealed class AuthenticationTests(DefaultServerFixture fixture) : IClassFixture<DefaultServerFixture>
{
    private const string Protected = "/api/v1/jobs/stats";

    private static async Task<JsonElement> LoginAsync(HttpClient client, string apiKey) =>
        await ExpectAsync(await client.PostAsync("/api/v1/auth/login", Body($$"""{"api_key":"{{apiKey}}"}""")), HttpStatusCode.OK);

    private static HttpRequestMessage Get(string path, string? bearer = null, string? apiKeyHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKeyHeader is not null)
        {
            request.Headers.Add("X-API-Key", apiKeyHeader);
        }

        return request;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string? bearer = null, string? apiKeyHeader = null, string path = Protected)
    {
        using var client = fixture.Server.Client();
        using var request = Get(path, bearer, apiKeyHeader);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
    }

    [Fact]
    public async Task Requests_without_valid_credentials_get_401_json()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var anonymous = fixture.Server.Client();
        await ExpectErrorAsync(await anonymous.GetAsync(Protected), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        using var unknown = fixture.Server.Client("sk_test_" + new string('A', 43));
        await ExpectErrorAsync(await unknown.GetAsync(Protected), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        using var basic = new HttpRequestMessage(HttpMethod.Get, Protected);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + key)));
        await ExpectErrorAsync(await anonymous.SendAsync(basic), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        // Credentials in the query string are never read.
        var login = await LoginAsync(anonymous, key);
        var token = login.GetProperty("access_token").GetString();
        await ExpectErrorAsync(await anonymous.GetAsync($"{Protected}?api_key={key}&token={token}&access_token={token}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task The_key_is_accepted_as_bearer_or_x_api_key_and_a_token_works_everywhere_the_key_does()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: key));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(apiKeyHeader: key));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(apiKeyHeader: key + "x"));

        using var client = fixture.Server.Client();
        var token = (await LoginAsync(client, key)).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: token));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: token, path: "/api/v1/api-keys"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: token, path: "/api/v1/dashboard"));
    }

    [Fact]
    public async Task Login_refresh_validate_and_me_have_the_contract_shapes()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var client = fixture.Server.Client();
        var login = await LoginAsync(client, key);
        AssertFields(login, "access_token", "refresh_token", "token_type", "expires_in", "refresh_expires_in");
        Assert.Equal("Bearer", login.GetProperty("token_type").GetString());
        Assert.Equal(86_400, login.GetProperty("expires_in").GetInt64());
        Assert.Equal(2_073_600, login.GetProperty("refresh_expires_in").GetInt64());
        var access = login.GetProperty("access_token").GetString()!;
        var refresh = login.GetProperty("refresh_token").GetString()!;
        Assert.Equal(3, access.Split('.').Length);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(Payload(access)).RootElement.GetProperty("exp").ValueKind);

        var refreshed = await ExpectAsync(await client.PostAsync("/api/v1/auth/refresh", Body($$"""{"refresh_token":"{{refresh}}"}""")), HttpStatusCode.OK);
        AssertFields(refreshed, "access_token", "token_type", "expires_in");
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: refreshed.GetProperty("access_token").GetString()));

        var valid = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{access}}"}""")), HttpStatusCode.OK);
        AssertFields(valid, "valid", "claims", "organization_id", "expires_at");
        Assert.True(valid.GetProperty("valid").GetBoolean());
        AssertFields(valid.GetProperty("claims"), "sub", "org_id", "api_key_id", "queues", "iat", "exp", "nbf", "jti", "token_type");
        Assert.Equal(orgId, valid.GetProperty("claims").GetProperty("org_id").GetString());
        Assert.Equal("access", valid.GetProperty("claims").GetProperty("token_type").GetString());
        var validRefresh = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{refresh}}"}""")), HttpStatusCode.OK);
        Assert.Equal("refresh", validRefresh.GetProperty("claims").GetProperty("token_type").GetString());
        var invalid = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body("""{"token":"eyJnope.nope.nope"}""")), HttpStatusCode.OK);
        AssertFields(invalid, "valid", "error");
        Assert.False(invalid.GetProperty("valid").GetBoolean());

        using var me = Get("/api/v1/auth/me", bearer: access);
        var session = await ExpectAsync(await client.SendAsync(me), HttpStatusCode.OK);
        AssertFields(session, "organization_id", "api_key_id", "queues", "issued_at", "expires_at");
        Assert.Equal(orgId, session.GetProperty("organization_id").GetString());
        Assert.Equal("""["*"]""", session.GetProperty("queues").GetRawText());
        AssertTimestamp(session.GetProperty("issued_at"));
        AssertTimestamp(session.GetProperty("expires_at"));
    }

    [Fact]
    public async Task Bad_logins_and_misused_tokens_are_refused()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var client = fixture.Server.Client();
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/login", Body("""{"api_key":"sk_test_not-a-real-key-at-all"}""")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/login", Body("""{"api_key":"short"}""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/login", Body("{}")), HttpStatusCode.BadRequest, "INVALID_JSON");

        var login = await LoginAsync(client, key);
        var access = login.GetProperty("access_token").GetString()!;
        var refresh = login.GetProperty("refresh_token").GetString()!;

        // A refresh token is not an access token, and the other way round.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: refresh));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: refresh, path: "/api/v1/auth/me"));
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/refresh", Body($$"""{"refresh_token":"{{access}}"}""")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        // An unsigned token, a forged signature, and a payload changed under a valid signature.
        var parts = access.Split('.');
        var unsigned = Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + parts[1] + ".";
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: unsigned));
        var forged = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: forged));
        var (otherOrg, _) = await RegisterAsync(fixture.Server);
        var orgId = JsonDocument.Parse(Payload(access)).RootElement.GetProperty("org_id").GetString()!;
        var swapped = parts[0] + "." + Base64Url(Payload(access).Replace(orgId, otherOrg, StringComparison.Ordinal)) + "." + parts[2];
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: swapped));
        var invalid = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{unsigned}}"}""")), HttpStatusCode.OK);
        Assert.False(invalid.GetProperty("valid").GetBoolean());

        // A bare API key has no session behind /auth/me.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: key, path: "/api/v1/auth/me"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: access));
    }

    [Fact]
    public async Task Logout_revokes_the_access_token_and_the_refresh_token_given()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var client = fixture.Server.Client();
        var login = await LoginAsync(client, key);
        var access = login.GetProperty("access_token").GetString()!;
        var refresh = login.GetProperty("refresh_token").GetString()!;

        using var withToken = fixture.Server.Client(access);
        await ExpectAsync(await withToken.PostAsync("/api/v1/auth/logout", Body($$"""{"refresh_token":"{{refresh}}"}""")), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: access));
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/refresh", Body($$"""{"refresh_token":"{{refresh}}"}""")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var revoked = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{access}}"}""")), HttpStatusCode.OK);
        Assert.False(revoked.GetProperty("valid").GetBoolean());

        // With no body (as Python sends it) only the access token ends; the key itself is untouched.
        var second = await LoginAsync(client, key);
        using var secondClient = fixture.Server.Client(second.GetProperty("access_token").GetString());
        using var empty = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        await ExpectAsync(await secondClient.SendAsync(empty), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: second.GetProperty("access_token").GetString()));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: key));

        // A bare API key has no session to end.
        using var keyClient = fixture.Server.Client(key);
        await ExpectErrorAsync(await keyClient.PostAsync("/api/v1/auth/logout", Body("{}")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Revoking_a_key_ends_its_tokens_at_once()
    {
        var (_, ownerKey) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(ownerKey);
        var (keyId, key) = await CreateKeyAsync(owner);
        using var client = fixture.Server.Client();
        var login = await LoginAsync(client, key);
        var access = login.GetProperty("access_token").GetString()!;
        var refresh = login.GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bearer: access));

        await ExpectAsync(await owner.DeleteAsync($"/api/v1/api-keys/{keyId}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(bearer: access, path: "/api/v1/auth/me"));
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/refresh", Body($$"""{"refresh_token":"{{refresh}}"}""")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ExpectErrorAsync(await client.PostAsync("/api/v1/auth/login", Body($$"""{"api_key":"{{key}}"}""")), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var validation = await ExpectAsync(await client.PostAsync("/api/v1/auth/validate", Body($$"""{"token":"{{access}}"}""")), HttpStatusCode.OK);
        Assert.False(validation.GetProperty("valid").GetBoolean());
    }
}
