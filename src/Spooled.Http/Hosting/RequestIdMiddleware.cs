namespace Spooled.Http.Hosting;

/// <summary>
/// Echoes <c>X-Request-Id</c> (or generates one), tags <c>/api/v1</c> responses with
/// <c>X-API-Version: 1</c>, opens a logging scope with the request id, and logs the request when it
/// ends (it wraps error handling, so the status logged is the one sent).
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = context.Request.Headers["X-Request-Id"].ToString();
        if (id.Length is 0 or > 128)
        {
            id = Guid.NewGuid().ToString();
        }

        context.TraceIdentifier = id;
        context.Response.Headers["X-Request-Id"] = id;
        if (context.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal))
        {
            context.Response.Headers["X-API-Version"] = "1";
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using (logger.BeginScope(new RequestScope(id)))
        {
            try
            {
                await next(context);
            }
            finally
            {
                RequestLog.Write(logger, context, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    /// <summary>The logging scope: shows as <c>request_id</c> in the JSON logs.</summary>
    private sealed class RequestScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => index == 0 ? new("request_id", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "request_id=" + requestId;
    }
}
