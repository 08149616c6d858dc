using Spooled.Http.Auth;

namespace Spooled.Http.Hosting;

/// <summary>
/// One structured log line per API request: method, route path, status, time, and the request id
/// (from the logging scope), organization and queue. Never the query string, headers or bodies, so
/// no key, token or payload can reach the log.
/// </summary>
internal static partial class RequestLog
{
    private const string QueueItem = "spooled.queue";

    /// <summary>Names the queue a request works on, for its log line.</summary>
    public static void SetQueue(HttpContext context, string? queue)
    {
        if (queue is not null)
        {
            context.Items[QueueItem] = queue;
        }
    }

    public static void Write(ILogger logger, HttpContext context, double elapsedMs)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var queue = context.Items.TryGetValue(QueueItem, out var value) ? value as string : null;
        Completed(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, elapsedMs, Caller.Find(context)?.OrganizationId, queue);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {Status} in {ElapsedMs:0.0} ms, organization {OrgId}, queue {Queue}")]
    private static partial void Completed(ILogger logger, string method, string path, int status, double elapsedMs, string? orgId, string? queue);
}
