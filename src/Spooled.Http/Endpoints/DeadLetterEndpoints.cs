using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.DeadLetter;
using Spooled.Http.Contracts.Jobs;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>Dead-letter routes: list, retry, purge. The dead-letter queue is the jobs whose status is <c>deadletter</c>.</summary>
internal static class DeadLetterEndpoints
{
    private const int MaxOlderThanDays = 36_500;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var dlq = routes.MapGroup("/api/v1/jobs/dlq");
        dlq.MapGet("", ListAsync);
        dlq.MapPost("/retry", RetryAsync);
        dlq.MapPost("/purge", PurgeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var request = context.Request;
        var page = await broker.ListJobsAsync(caller.OrganizationId, new JobQuery
        {
            Status = JobStatus.DeadLetter,
            QueueName = Api.Query(request, "queue_name") ?? Api.Query(request, "queue"),
            Limit = Api.QueryInt(request, "limit", 50, 1, 100),
            Offset = Api.QueryInt(request, "offset", 0, 0, int.MaxValue),
        });
        var items = new List<JobSummaryResponse>(page.Count);
        foreach (var job in page)
        {
            items.Add(JobSummaryResponse.From(job));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> RetryAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync(context.Request, new DeadLetterRetryRequest());
        var retried = await broker.RetryDeadLetterAsync(caller.OrganizationId, new DeadLetterRetry
        {
            JobIds = Ids(body.JobIds),
            QueueName = body.QueueName,
            Limit = body.Limit ?? 100,
        });
        return Api.Json(new DeadLetterRetryResponse(retried.Count, retried));
    }

    private static async Task<IResult> PurgeAsync(HttpContext context, JobBroker broker, TimeProvider time)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync(context.Request, new DeadLetterPurgeRequest());

        // Python cannot send `confirm` and Go does not: a filter the caller chose is confirmation enough.
        var filtered = body.QueueName is not null || body.OlderThan is not null || body.OlderThanDays is not null || body.JobIds is not null;
        if (body.Confirm == false || (!filtered && body.Confirm != true))
        {
            throw ApiException.BadRequest("Must set 'confirm: true' to purge dead-letter queue");
        }

        var olderThan = body.OlderThan;
        if (body.OlderThanDays is { } days)
        {
            if (days is < 0 or > MaxOlderThanDays)
            {
                throw ApiException.Invalid("older_than_days", "older_than_days must be between 0 and 36500", "range");
            }

            var cutoff = time.GetUtcNow().AddDays(-days);
            olderThan = olderThan is { } given && given < cutoff ? given : cutoff;
        }

        var purged = await broker.PurgeDeadLetterAsync(caller.OrganizationId, new DeadLetterPurge
        {
            JobIds = Ids(body.JobIds),
            QueueName = body.QueueName,
            OlderThan = olderThan,
            Limit = body.Limit ?? 10_000,
        });
        return Api.Json(new DeadLetterPurgeResponse(purged));
    }

    /// <summary>The job ids of a filter; text that is not a job id names no job of the caller and is dropped.</summary>
    private static List<Guid>? Ids(IReadOnlyList<string>? texts)
    {
        if (texts is null)
        {
            return null;
        }

        var ids = new List<Guid>(texts.Count);
        foreach (var text in texts)
        {
            if (Guid.TryParse(text, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
