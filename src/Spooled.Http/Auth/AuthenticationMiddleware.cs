using Spooled.Broker;
using Spooled.Http.Errors;

namespace Spooled.Http.Auth;

/// <summary>
/// Resolves the caller from <c>Authorization: Bearer</c> (an API key, or an access token when it
/// starts with <c>eyJ</c>) or <c>X-API-Key</c>. A credential that is present but not valid is a
/// 401 at once; a request without one goes on, and routes that need a caller refuse it. Reads no
/// credential from the query string, with one exception: on the WebSocket route, where browsers
/// cannot send headers, an access token in <c>?token=</c> stands in for a missing header (never an
/// API key: query strings end up in logs and histories, and a token expires).
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, JobBroker broker, TokenService tokens, RateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase) || IsPublic(context.Request.Path) || IsRegistration(context.Request))
        {
            await next(context);
            return;
        }

        var credential = Credential(context.Request) ?? QueryToken(context.Request);
        if (credential is not null)
        {
            var caller = await AuthenticateAsync(credential)
                ?? throw ApiException.Unauthorized(credential.StartsWith("eyJ", StringComparison.Ordinal) ? "Invalid token" : "Invalid API key");
            caller.AttachTo(context);
            limiter.Check(context, caller.ApiKeyId, broker.RateLimitOf(caller.ApiKeyId));
        }

        await next(context);
    }

    /// <summary>Routes that authenticate themselves (or need no caller).</summary>
    private static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/api/v1/auth/login", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/auth/refresh", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/auth/validate", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/auth/me", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/admin", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>POST /organizations</c> needs no key (the registration mode decides); the other organization routes do.</summary>
    private static bool IsRegistration(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is "/api/v1/organizations" or "/api/v1/organizations/";

    private static string? Credential(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
                ? authorization[7..].Trim()
                : throw ApiException.Unauthorized("Missing or invalid Authorization header");
        }

        var apiKey = request.Headers["X-API-Key"].ToString();
        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }

    /// <summary>
    /// <c>?token=</c> on the WebSocket route only. Anything but a JWT there is refused outright
    /// (an API key must not travel in a URL); a JWT is then validated as an access token like any other.
    /// </summary>
    private static string? QueryToken(HttpRequest request)
    {
        if (!IsWebSocketRoute(request.Path) || !request.Query.TryGetValue("token", out var values) || values.ToString() is not { Length: > 0 } token)
        {
            return null;
        }

        return token.StartsWith("eyJ", StringComparison.Ordinal)
            ? token
            : throw ApiException.Unauthorized("Invalid token: the token query parameter takes an access token from /api/v1/auth/login");
    }

    private static bool IsWebSocketRoute(PathString path) =>
        path.Value is { } value && (string.Equals(value, Endpoints.WebSocketEndpoints.Path, StringComparison.OrdinalIgnoreCase)
            || string.Equals(value, Endpoints.WebSocketEndpoints.Path + "/", StringComparison.OrdinalIgnoreCase));

    /// <summary>An API key, or an access token whose key is still active.</summary>
    public async Task<Caller?> AuthenticateAsync(string credential)
    {
        if (credential.StartsWith("eyJ", StringComparison.Ordinal))
        {
            var claims = await tokens.ValidateAsync(credential, "access");
            if (claims is null || !broker.IsKeyActive(claims.ApiKeyId, claims.OrganizationId))
            {
                return null;
            }

            return new Caller(claims.OrganizationId, claims.ApiKeyId, claims.Queues, ViaToken: true);
        }

        return broker.Authenticate(credential) is { } identity
            ? new Caller(identity.OrganizationId, identity.KeyId, identity.Queues, ViaToken: false)
            : null;
    }
}
