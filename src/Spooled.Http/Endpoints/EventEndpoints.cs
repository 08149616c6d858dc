using System.Globalization;
using Spooled.Broker;
using Spooled.Broker.Events;
using Spooled.Http.Auth;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;
using Spooled.Http.Realtime;

namespace Spooled.Http.Endpoints;

/// <summary>
/// Server-Sent Events: the organization's events (<c>/events</c>, filtered by query), one queue's
/// events with its stats every five seconds (<c>/events/queues/{name}</c>), and one job's status
/// changes until it finishes (<c>/events/jobs/{id}</c>). Events are the broker's durable changes:
/// nothing is polled. A client that reconnects with <c>Last-Event-ID</c> gets what it missed, as
/// far back as the broker keeps events.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan s_statsEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_healthEvery = TimeSpan.FromSeconds(30);

    public static void Map(IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/api/v1/events");
        events.MapGet("", AllAsync);
        events.MapGet("/queues/{name}", QueueAsync);
        events.MapGet("/jobs/{id}", JobAsync);
    }

    private static async Task AllAsync(HttpContext context, JobBroker broker, StreamLimiter limiter, StreamPulse pulse, TimeProvider time, ServerOptions options, IHostApplicationLifetime lifetime)
    {
        var caller = Caller.Require(context);
        var filter = EventFilter.FromQuery(context.Request.Query);
        if (filter.Queue is { } queue)
        {
            JobEndpoints.RequireQueue(context, caller, queue);
        }

        var after = LastEventId(context.Request);
        using var lease = limiter.Acquire(caller);
        using var cursor = broker.Events.OpenCursor(caller.OrganizationId, after);
        var session = new SseSession(context, cursor, pulse, time)
        {
            Stopping = lifetime.ApplicationStopping,
            KeepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            Shape = e => (filter.Matches(e) && (e.QueueName is null || caller.MayUse(e.QueueName)), false),
            Periodic = filter.Wants("SystemHealth") ? _ => Task.FromResult<byte[]?>(EventEncoder.SystemHealth(broker.Failure is null, time.GetUtcNow())) : null,
            Every = s_healthEvery,
        };
        await session.RunAsync([], last: false);
    }

    private static async Task QueueAsync(HttpContext context, JobBroker broker, StreamLimiter limiter, StreamPulse pulse, TimeProvider time, ServerOptions options, IHostApplicationLifetime lifetime, QueueStatsCache stats, string name)
    {
        var caller = Caller.Require(context);
        if (!QueueNames.IsValid(name))
        {
            throw ApiException.Invalid("name", "name must be a valid queue name");
        }

        JobEndpoints.RequireQueue(context, caller, name);

        var filter = EventFilter.Create(name, null, null, Api.Query(context.Request, "events"));
        var after = LastEventId(context.Request);
        using var lease = limiter.Acquire(caller);
        using var cursor = broker.Events.OpenCursor(caller.OrganizationId, after);
        var session = new SseSession(context, cursor, pulse, time)
        {
            Stopping = lifetime.ApplicationStopping,
            KeepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            Shape = e => (filter.Matches(e), false),
            Periodic = filter.Wants("QueueStats") ? async _ => EventEncoder.QueueStats(await stats.GetAsync(caller.OrganizationId, name), time.GetUtcNow()) : null,
            Every = s_statsEvery,
        };
        await session.RunAsync([], last: false);
    }

    private static async Task JobAsync(HttpContext context, JobBroker broker, StreamLimiter limiter, StreamPulse pulse, TimeProvider time, ServerOptions options, IHostApplicationLifetime lifetime, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        using var lease = limiter.Acquire(caller);

        // Open the cursor before reading the job, so that no change falls between the two.
        using var cursor = broker.Events.OpenCursor(caller.OrganizationId);
        var job = await broker.GetJobAsync(caller.OrganizationId, jobId) ?? throw ApiException.NotFound("Job");
        if (!caller.MayUse(job.QueueName))
        {
            throw ApiException.NotFound("Job");
        }

        var current = job.Status;
        var caughtUp = false;
        var session = new SseSession(context, cursor, pulse, time)
        {
            Stopping = lifetime.ApplicationStopping,
            KeepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            // Changes published before the read may still be unread: skip them until the first
            // change that starts from the status the read returned (and is not older than it).
            Shape = e =>
            {
                if (e.JobId != jobId || e.Kind != BrokerEventKind.JobStatusChange)
                {
                    return (false, false);
                }

                if (!caughtUp && (e.OldStatus != current || e.Timestamp < job.UpdatedAt))
                {
                    return (false, false);
                }

                caughtUp = true;
                return (true, e.NewStatus?.IsTerminal() == true);
            },
        };
        await session.RunAsync([EventEncoder.CurrentStatus(job, time.GetUtcNow())], last: current.IsTerminal());
    }

    /// <summary>Where a reconnecting client left off: the <c>Last-Event-ID</c> header (or <c>last_event_id</c>), else null.</summary>
    private static long? LastEventId(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : Api.Query(request, "last_event_id");
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw ApiException.Invalid("Last-Event-ID", "Last-Event-ID must be the id of an earlier event");
    }
}
