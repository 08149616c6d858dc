using System.Buffers;
using System.Text.Json;
using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts;
using Spooled.Http.Contracts.WorkerPath;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>The worker's side of a job: claim (with long poll), complete, fail, heartbeat, progress, batch acknowledgement.</summary>
internal static class WorkerPathEndpoints
{
    private const int DefaultLeaseSeconds = 30;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/v1/jobs");
        jobs.MapPost("/claim", ClaimAsync);
        jobs.MapPost("/batch/complete", CompleteManyAsync);
        jobs.MapPost("/batch/fail", FailManyAsync);
        jobs.MapPost("/{id}/complete", CompleteAsync);
        jobs.MapPost("/{id}/fail", FailAsync);
        jobs.MapPost("/{id}/heartbeat", HeartbeatAsync);
        jobs.MapPost("/{id}/progress", ProgressAsync);
    }

    private static async Task<IResult> ClaimAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<ClaimJobsRequest>(context.Request);
        JobEndpoints.RequireQueue(context, caller, body.QueueName);
        var request = new ClaimRequest
        {
            QueueName = body.QueueName,
            WorkerId = body.WorkerId,
            Limit = body.Limit ?? 1,
            LeaseSeconds = body.LeaseDurationSecs ?? DefaultLeaseSeconds,
            WaitSeconds = body.WaitSecs ?? 0,
        };

        // A long poll whose client has gone must not be handed jobs: the broker drops the waiter on cancellation.
        var claimed = await broker.ClaimAsync(caller.OrganizationId, request, context.RequestAborted);
        var jobs = new List<ClaimedJobResponse>(claimed.Count);
        foreach (var job in claimed)
        {
            jobs.Add(ClaimedJobResponse.From(job));
        }

        return Api.Json(new ClaimJobsResponse(jobs));
    }

    private static async Task<IResult> CompleteAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        var body = await JsonBody.ReadAsync<CompleteJobRequest>(context.Request);
        await broker.CompleteAsync(caller.OrganizationId, jobId, body.WorkerId, Lease(body.LeaseId), RawJson.BytesOrNull(body.Result));
        return Api.Json(SuccessResponse.Instance);
    }

    private static async Task<IResult> FailAsync(HttpContext context, JobBroker broker, TimeProvider time, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        var body = await JsonBody.ReadAsync<FailJobRequest>(context.Request);
        var outcome = await broker.FailAsync(caller.OrganizationId, jobId, body.WorkerId, Lease(body.LeaseId), body.Error);
        long? delay = outcome.NextAttemptAt is { } next
            ? Math.Max(0, (long)Math.Ceiling((next - time.GetUtcNow()).TotalSeconds))
            : null;
        return Api.Json(new FailJobResponse(true, outcome.WillRetry, delay));
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        var body = await JsonBody.ReadAsync<JobHeartbeatRequest>(context.Request);
        var until = await broker.HeartbeatAsync(caller.OrganizationId, jobId, body.WorkerId, Lease(body.LeaseId), body.LeaseDurationSecs ?? DefaultLeaseSeconds);
        return Api.Json(new JobHeartbeatResponse(true, until.UtcDateTime));
    }

    private static async Task<IResult> ProgressAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var jobId = Api.Id(id, "Job");
        var body = await JsonBody.ReadAsync<JobProgressRequest>(context.Request);
        var workerId = body.WorkerId;
        if (workerId is null)
        {
            // The Go SDK reports progress without naming itself: take the job's current holder.
            var job = await broker.GetJobAsync(caller.OrganizationId, jobId) ?? throw ApiException.NotFound("Job");
            workerId = job.Status == JobStatus.Processing && job.AssignedWorkerId is { } holder
                ? holder
                : throw LeaseExpired("The job is not being processed");
        }

        await broker.ReportProgressAsync(caller.OrganizationId, jobId, workerId, Lease(body.LeaseId), ProgressJson(body));
        return Api.Json(SuccessResponse.Instance);
    }

    /// <summary>The stored report: <c>{"progress": …, "message": …}</c>, the progress value verbatim.</summary>
    private static byte[] ProgressJson(JobProgressRequest body)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (body.Progress?.Utf8.Length ?? 0) + (body.Message?.Length ?? 0));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("progress");
            writer.WriteRawValue((body.Progress ?? RawJson.Null).Utf8, skipInputValidation: true);
            writer.WriteString("message", body.Message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Task<IResult> CompleteManyAsync(HttpContext context, JobBroker broker) => AcknowledgeManyAsync(context, broker, failing: false);

    private static Task<IResult> FailManyAsync(HttpContext context, JobBroker broker) => AcknowledgeManyAsync(context, broker, failing: true);

    private static async Task<IResult> AcknowledgeManyAsync(HttpContext context, JobBroker broker, bool failing)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<BatchAckRequest>(context.Request);
        if (body.Jobs is not { Count: > 0 and <= 100 })
        {
            throw ApiException.Invalid("jobs", "jobs must hold 1-100 items", "length");
        }

        var acks = new List<JobAck>(body.Jobs.Count);
        for (var i = 0; i < body.Jobs.Count; i++)
        {
            var item = body.Jobs[i] ?? throw ApiException.Invalid($"jobs[{i}]", "each item must be an object", "type");
            if (failing && item.Error is not { Length: > 0 and <= 2048 })
            {
                throw ApiException.Invalid($"jobs[{i}].error", "error must be 1-2048 characters", "length");
            }

            acks.Add(new JobAck
            {
                // An id that is not a job id is answered per item as unknown: the empty id names no job.
                JobId = Guid.TryParse(item.Id, out var jobId) ? jobId : Guid.Empty,
                LeaseId = Lease(item.LeaseId),
                Result = failing ? null : RawJson.BytesOrNull(item.Result),
                Error = failing ? item.Error : null,
            });
        }

        var results = failing
            ? await broker.FailManyAsync(caller.OrganizationId, body.WorkerId, acks)
            : await broker.CompleteManyAsync(caller.OrganizationId, body.WorkerId, acks);
        var succeeded = new List<BatchAckSucceeded>(results.Length);
        var failed = new List<BatchAckFailed>();
        foreach (var result in results)
        {
            if (result.Error is not { } code)
            {
                succeeded.Add(new BatchAckSucceeded(result.Index, result.JobId));
                continue;
            }

            var wire = ErrorHandlingMiddleware.Map(code).Code;
            failed.Add(new BatchAckFailed(result.Index, body.Jobs[result.Index].Id, wire, result.Message ?? wire));
        }

        return Api.Json(new BatchAckResponse(succeeded, failed, results.Length, succeeded.Count, failed.Count));
    }

    /// <summary>
    /// The lease named by the request: null when absent or empty. Text that is not a lease id can never
    /// be the job's current lease, so it becomes the empty id, which no claim hands out, and the
    /// acknowledgement is refused as a stale lease.
    /// </summary>
    private static Guid? Lease(string? text) =>
        string.IsNullOrEmpty(text) ? null : Guid.TryParse(text, out var lease) ? lease : Guid.Empty;

    private static ApiException LeaseExpired(string message) => new(409, "LEASE_EXPIRED", message);
}
