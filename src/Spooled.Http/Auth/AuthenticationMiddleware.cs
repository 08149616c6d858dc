using Spooled.Broker;
using Spooled.Http.Errors;

namespace Spooled.Http.Auth;

/// <summary>
/// Resolves the caller from <c>Authorization: Bearer</c> (an API key, or an access token when it
/// starts with <c>eyJ</c>) or <c>X-API-Key</c>. A credential that is present but not valid is a
/// 401 at once; a request without one goes on, and routes that need a caller refuse it. Never
/// reads credentials from the query string.
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

        var credential = Credential(context.Request);
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
