using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.Jobs;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>Job routes: enqueue (single and bulk), read, list, cancel, retry, priority, stats.</summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/v1/jobs");
        jobs.MapPost("", CreateAsync);
        jobs.MapGet("", ListAsync);
        jobs.MapGet("/stats", StatsAsync);
        jobs.MapGet("/status", StatusAsync);
        jobs.MapPost("/bulk", BulkAsync);
        jobs.MapGet("/{id}", GetAsync);
        jobs.MapDelete("/{id}", CancelAsync);
        jobs.MapPost("/{id}/retry", RetryAsync);
        jobs.MapPut("/{id}/priority", PriorityAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<CreateJobRequest>(context.Request);
        RequireQueue(context, caller, body.QueueName);
        var spec = new JobSpec
        {
            QueueName = body.QueueName,
            Payload = body.Payload.Utf8,
            Priority = body.Priority,
            MaxRetries = body.MaxRetries,
            TimeoutSeconds = body.TimeoutSeconds,
            ScheduledAt = body.ScheduledAt,
            ExpiresAt = body.ExpiresAt,
            Tags = RawJson.BytesOrNull(body.Tags),
            IdempotencyKey = body.IdempotencyKey ?? HeaderKey(context.Request),
            CompletionWebhook = body.CompletionWebhook,
            ParentJobId = ParentId(body.ParentJobId),
        };
        var result = await broker.EnqueueAsync(caller.OrganizationId, spec);
        return Api.Json(new CreateJobResponse(result.Id, result.Created), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>The <c>Idempotency-Key</c> header, accepted as an alias of the body field.</summary>
    private static string? HeaderKey(HttpRequest request) =>
        request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null;

    private static Guid? ParentId(string? text) =>
        text is null ? null : Guid.TryParse(text, out var id) ? id : throw ApiException.Invalid("parent_job_id", "parent_job_id is not a job id", "not_found");

    /// <summary>Refuses (403) a queue outside the key's scope, and names the queue in the request's log line.</summary>
    internal static void RequireQueue(HttpContext context, Caller caller, string queue)
    {
        Hosting.RequestLog.SetQueue(context, queue);
        if (!caller.MayUse(queue))
        {
            throw ApiException.Forbidden("This API key may not use queue '" + queue + "'");
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var request = context.Request;
        JobStatus? status = null;
        if (Api.Query(request, "status") is { } statusText)
        {
            status = JobStatusNames.TryParse(statusText, out var parsed)
                ? parsed
                : throw ApiException.Invalid("status", "status must be one of pending, scheduled, processing, completed, failed, deadletter, cancelled", "enum");
        }

        var orderBy = Api.Query(request, "order_by") switch
        {
            null or "created_at" => JobOrder.CreatedAt,
            "priority" => JobOrder.Priority,
            "updated_at" => JobOrder.UpdatedAt,
            "scheduled_at" => JobOrder.ScheduledAt,
            _ => throw ApiException.Invalid("order_by", "order_by must be created_at, priority, updated_at or scheduled_at", "enum"),
        };
        var descending = Api.Query(request, "order_dir") switch
        {
            null or "desc" => true,
            "asc" => false,
            _ => throw ApiException.Invalid("order_dir", "order_dir must be asc or desc", "enum"),
        };
        var query = new JobQuery
        {
            QueueName = Api.Query(request, "queue_name") ?? Api.Query(request, "queue"),
            Status = status,
            Tag = Api.Query(request, "tag"),
            Limit = Api.QueryInt(request, "limit", 50, 1, 100),
            Offset = Api.QueryInt(request, "offset", 0, 0, int.MaxValue),
            OrderBy = orderBy,
            Descending = descending,
        };
        var page = await broker.ListJobsAsync(caller.OrganizationId, query);
        var items = new List<JobSummaryResponse>(page.Count);
        foreach (var job in page)
        {
            items.Add(JobSummaryResponse.From(job));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var job = await broker.GetJobAsync(caller.OrganizationId, Api.Id(id, "Job")) ?? throw ApiException.NotFound("Job");
        return Api.Json(JobResponse.From(job));
    }

    private static async Task<IResult> CancelAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        await broker.CancelAsync(caller.OrganizationId, Api.Id(id, "Job"));
        return Results.NoContent();
    }

    private static async Task<IResult> RetryAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var job = await broker.RetryAsync(caller.OrganizationId, Api.Id(id, "Job"));
        return Api.Json(JobResponse.From(job));
    }

    private static async Task<IResult> PriorityAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        var body = await JsonBody.ReadAsync<PriorityRequest>(context.Request);
        var change = await broker.SetPriorityAsync(caller.OrganizationId, jobId, body.Priority);
        return Api.Json(new PriorityResponse(change.JobId, change.OldPriority, change.NewPriority));
    }

    private static async Task<IResult> StatsAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        return Api.Json(JobStatsResponse.From(await broker.GetJobCountsAsync(caller.OrganizationId)));
    }

    private static async Task<IResult> StatusAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var ids = new List<Guid>();
        foreach (var part in (Api.Query(context.Request, "ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ids.Count == 100)
            {
                throw ApiException.BadRequest("Maximum 100 job IDs allowed per request");
            }

            if (Guid.TryParse(part, out var id))
            {
                ids.Add(id); // Malformed ids are unknown ids: left out, like ids of other organizations.
            }
        }

        var found = await broker.GetStatusesAsync(caller.OrganizationId, ids);
        var items = new List<JobStatusResponse>(found.Count);
        foreach (var job in found)
        {
            items.Add(JobStatusResponse.From(job));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> BulkAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<BulkJobsRequest>(context.Request);
        RequireQueue(context, caller, body.QueueName);
        var specs = new List<JobSpec>(body.Jobs.Count);
        foreach (var item in body.Jobs)
        {
            specs.Add(new JobSpec
            {
                Payload = item.Payload?.Utf8!,
                Priority = item.Priority,
                IdempotencyKey = item.IdempotencyKey,
                ScheduledAt = item.ScheduledAt,
                MaxRetries = item.MaxRetries,
                TimeoutSeconds = item.TimeoutSeconds,
                ExpiresAt = item.ExpiresAt,
                Tags = RawJson.BytesOrNull(item.Tags),
            });
        }

        var result = await broker.EnqueueBulkAsync(caller.OrganizationId, new BulkEnqueueRequest
        {
            QueueName = body.QueueName,
            Jobs = specs,
            DefaultPriority = body.DefaultPriority,
            DefaultMaxRetries = body.DefaultMaxRetries,
            DefaultTimeoutSeconds = body.DefaultTimeoutSeconds,
        });
        var succeeded = new List<BulkSucceeded>(result.Succeeded.Count);
        foreach (var item in result.Succeeded)
        {
            succeeded.Add(new BulkSucceeded(item.Index, item.JobId!.Value, item.Created));
        }

        var failed = new List<BulkFailed>(result.Failed.Count);
        foreach (var item in result.Failed)
        {
            failed.Add(new BulkFailed(item.Index, item.Error ?? "invalid"));
        }

        return Api.Json(new BulkJobsResponse(succeeded, failed, body.Jobs.Count, succeeded.Count, failed.Count));
    }
}
