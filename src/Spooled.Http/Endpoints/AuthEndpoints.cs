using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.Auth;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>
/// Token routes: exchange an API key for an access and a refresh token, refresh, validate, read
/// the session, log out. A token works only while its key is active, so revoking a key ends its
/// sessions. Login and refresh count against the key's rate limit (per key, never global).
/// </summary>
internal static class AuthEndpoints
{
    private const string TokenType = "Bearer";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth");
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/refresh", RefreshAsync);
        auth.MapPost("/validate", ValidateAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapGet("/me", MeAsync);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, JobBroker broker, TokenService tokens, RateLimiter limiter)
    {
        var body = await JsonBody.ReadAsync<LoginRequest>(context.Request);
        if (body.ApiKey is not { Length: >= 10 })
        {
            throw ApiException.Invalid("api_key", "api_key must be at least 10 characters", "length");
        }

        var identity = broker.Authenticate(body.ApiKey) ?? throw ApiException.Unauthorized("Invalid credentials");
        limiter.Check(context, identity.KeyId);
        var access = tokens.Issue("access", identity.OrganizationId, identity.KeyId, identity.Queues);
        var refresh = tokens.Issue("refresh", identity.OrganizationId, identity.KeyId, identity.Queues);
        return Api.Json(new LoginResponse(access, refresh, TokenType, Seconds(tokens.AccessLifetime), Seconds(tokens.RefreshLifetime)));
    }

    private static async Task<IResult> RefreshAsync(HttpContext context, JobBroker broker, TokenService tokens, RateLimiter limiter)
    {
        var body = await JsonBody.ReadAsync<RefreshRequest>(context.Request);
        var claims = await ValidOrNullAsync(tokens, body.RefreshToken, "refresh") ?? throw ApiException.Unauthorized("Invalid refresh token");
        if (!broker.IsKeyActive(claims.ApiKeyId, claims.OrganizationId))
        {
            throw ApiException.Unauthorized("API key has been revoked");
        }

        limiter.Check(context, claims.ApiKeyId);

        // The key's scope now, not the one at login: a narrowed key yields narrowed tokens.
        var key = await broker.GetApiKeyAsync(claims.OrganizationId, claims.ApiKeyId);
        var access = tokens.Issue("access", claims.OrganizationId, claims.ApiKeyId, key.Queues);
        return Api.Json(new RefreshResponse(access, TokenType, Seconds(tokens.AccessLifetime)));
    }

    /// <summary>Always 200: whether the token (access or refresh) is valid now, with its claims when it is.</summary>
    private static async Task<IResult> ValidateAsync(HttpContext context, JobBroker broker, TokenService tokens)
    {
        var body = await JsonBody.ReadAsync<ValidateRequest>(context.Request);
        var claims = await ValidOrNullAsync(tokens, body.Token, "access") ?? await ValidOrNullAsync(tokens, body.Token, "refresh");
        if (claims is null)
        {
            return Api.Json(new ValidateResponse { Valid = false, Error = "Invalid token" });
        }

        if (!broker.IsKeyActive(claims.ApiKeyId, claims.OrganizationId))
        {
            return Api.Json(new ValidateResponse { Valid = false, Error = "Token has been revoked" });
        }

        var issued = claims.IssuedAt.ToUnixTimeSeconds();
        return Api.Json(new ValidateResponse
        {
            Valid = true,
            Claims = new TokenClaimsResponse(claims.OrganizationId, claims.OrganizationId, claims.ApiKeyId, claims.Queues, issued, claims.ExpiresAt.ToUnixTimeSeconds(), issued, claims.Jti, claims.TokenType),
            OrganizationId = claims.OrganizationId,
            ExpiresAt = claims.ExpiresAt.UtcDateTime,
        });
    }

    /// <summary>
    /// Revokes the presented access token and, when the body names one of the same key, the
    /// refresh token too. A caller with a bare API key has no session to end unless it names a
    /// refresh token.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, TokenService tokens)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync(context.Request, LogoutRequest.Empty);
        var ended = false;
        if (caller.ViaToken && await ValidOrNullAsync(tokens, PresentedToken(context.Request), "access") is { } access)
        {
            tokens.Revoke(access);
            ended = true;
        }

        if (await ValidOrNullAsync(tokens, body.RefreshToken, "refresh") is { } refresh && refresh.ApiKeyId == caller.ApiKeyId)
        {
            tokens.Revoke(refresh);
            ended = true;
        }

        return ended ? Results.NoContent() : throw ApiException.Unauthorized("Logout needs an access token or the session's refresh token");
    }

    /// <summary>The session behind an access token (this route is public: it reads the token itself).</summary>
    private static async Task<IResult> MeAsync(HttpContext context, JobBroker broker, TokenService tokens, RateLimiter limiter)
    {
        var token = PresentedToken(context.Request) ?? throw ApiException.Unauthorized("Missing or invalid Authorization header");
        var claims = await ValidOrNullAsync(tokens, token, "access");
        if (claims is null || !broker.IsKeyActive(claims.ApiKeyId, claims.OrganizationId))
        {
            throw ApiException.Unauthorized("Invalid token");
        }

        limiter.Check(context, claims.ApiKeyId);
        return Api.Json(new MeResponse(claims.OrganizationId, claims.ApiKeyId, claims.Queues, claims.IssuedAt.UtcDateTime, claims.ExpiresAt.UtcDateTime));
    }

    private static async Task<TokenClaims?> ValidOrNullAsync(TokenService tokens, string? token, string type) =>
        string.IsNullOrWhiteSpace(token) ? null : await tokens.ValidateAsync(token, type);

    /// <summary>The credential of <c>Authorization: Bearer</c> or <c>X-API-Key</c>, as the authentication middleware reads it.</summary>
    private static string? PresentedToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7 ? authorization[7..].Trim() : null;
        }

        return request.Headers["X-API-Key"].ToString() is { Length: > 0 } key ? key.Trim() : null;
    }

    private static long Seconds(TimeSpan span) => (long)span.TotalSeconds;
}
