using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;
using Spooled.Http.Realtime;

namespace Spooled.Http.Endpoints;

/// <summary>
/// <c>GET /api/v1/ws</c>: live events over a WebSocket. Every refusal happens before the upgrade,
/// so it is an ordinary response with the API's error body: no caller 401 (the authentication
/// middleware also reads <c>?token=</c> on this route, since browsers cannot send headers), not a
/// WebSocket request 400, a foreign <c>Origin</c> 403 (a browser page on another site must not
/// ride on a user's token), a bad filter 400, over the stream limits 429.
/// </summary>
internal static class WebSocketEndpoints
{
    /// <summary>The route; the authentication middleware reads the query token on this path only.</summary>
    public const string Path = "/api/v1/ws";

    public static void Map(WebApplication app) => app.MapGet(Path, ConnectAsync);

    private static async Task ConnectAsync(HttpContext context, JobBroker broker, ServerOptions options, StreamLimiter limiter, TimeProvider time, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        var caller = Caller.Require(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("This route only accepts WebSocket upgrade requests");
        }

        if (!OriginAllowed(context.Request, options.AllowedOrigins))
        {
            throw ApiException.Forbidden("WebSocket connections from this origin are not allowed");
        }

        var filter = EventFilter.FromQuery(context.Request.Query);
        if (filter.Queue is { } queue)
        {
            JobEndpoints.RequireQueue(context, caller, queue);
        }

        using var lease = limiter.Acquire(caller);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new WebSocketSession(socket, caller, broker.Events, filter, options.StreamBufferEvents, time, loggers.CreateLogger(typeof(WebSocketSession)), lifetime.ApplicationStopping);
        await session.RunAsync();
    }

    /// <summary>
    /// No <c>Origin</c> (not a browser), the server's own scheme, host and port, or a configured
    /// origin (<c>*</c> allows any). An origin that is not a URL (<c>null</c>) is foreign.
    /// </summary>
    private static bool OriginAllowed(HttpRequest request, IReadOnlyList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return allowed.Contains("*");
        }

        var ownPort = request.Host.Port ?? (string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        if (string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == ownPort)
        {
            return true;
        }

        foreach (var entry in allowed)
        {
            if (entry == "*")
            {
                return true;
            }

            if (Uri.TryCreate(entry, UriKind.Absolute, out var known)
                ? string.Equals(known.Scheme, uri.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(known.Host, uri.Host, StringComparison.OrdinalIgnoreCase) && known.Port == uri.Port
                : string.Equals(entry.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
