using System.Buffers.Text;
using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.Queues;
using Spooled.Http.Errors;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>Queue routes: list, read, configure, delete, stats, pause, resume. A queue exists once a job or a configuration names it.</summary>
internal static class QueueEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var queues = routes.MapGroup("/api/v1/queues");
        queues.MapGet("", ListAsync);
        queues.MapGet("/{name}", GetAsync);
        queues.MapPut("/{name}/config", ConfigureAsync);
        queues.MapPut("/{name}", ConfigureAsync); // The Go SDK's path.
        queues.MapDelete("/{name}", DeleteAsync);
        queues.MapGet("/{name}/stats", StatsAsync);
        queues.MapPost("/{name}/pause", PauseAsync);
        queues.MapPost("/{name}/resume", ResumeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var queues = await broker.ListQueuesAsync(caller.OrganizationId);
        var items = new List<QueueSummaryResponse>(queues.Count);
        foreach (var queue in queues)
        {
            items.Add(QueueSummaryResponse.From(queue));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);
        return Api.Json(QueueResponse.From(await broker.GetQueueAsync(caller.OrganizationId, name)));
    }

    private static async Task<IResult> ConfigureAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync(context.Request, new QueueConfigRequest());
        if (body.Settings is { IsNull: false, IsObject: false })
        {
            throw ApiException.Invalid("settings", "settings must be a JSON object", "type");
        }

        var update = new QueueConfigUpdate
        {
            MaxRetries = body.MaxRetries,
            DefaultTimeout = body.DefaultTimeout,
            RateLimit = RateLimit(body.RateLimit),
            ClearRateLimit = body.RateLimit is { IsNull: true },
            Enabled = body.Enabled,
            Settings = RawJson.BytesOrNull(body.Settings),
            BackoffBaseSeconds = body.BackoffBaseSecs,
            BackoffMaxSeconds = body.BackoffMaxSecs,
            BackoffJitter = body.BackoffJitter,
        };
        return Api.Json(QueueResponse.From(await broker.ConfigureQueueAsync(caller.OrganizationId, name, update)));
    }

    /// <summary>
    /// <c>rate_limit</c> is read raw because JSON null means something of its own here (remove the
    /// limit) while an absent field keeps it.
    /// </summary>
    private static int? RateLimit(RawJson? value)
    {
        if (value is null || value.IsNull)
        {
            return null;
        }

        return Utf8Parser.TryParse(value.Utf8, out int limit, out var consumed) && consumed == value.Utf8.Length
            ? limit
            : throw new ApiException(400, "INVALID_JSON", "Invalid JSON", [new ErrorDetail("rate_limit", "Invalid value type", "PARSE_ERROR")]);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);
        await broker.DeleteQueueAsync(caller.OrganizationId, name);
        return Results.NoContent();
    }

    private static async Task<IResult> StatsAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);
        return Api.Json(QueueStatsResponse.From(await broker.GetQueueStatsAsync(caller.OrganizationId, name)));
    }

    private static async Task<IResult> PauseAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);

        // Node and Python send no body, Go `{}`, PHP `{"reason":null}`.
        var body = await JsonBody.ReadAsync(context.Request, new PauseQueueRequest());
        var state = await broker.PauseQueueAsync(caller.OrganizationId, name, body.Reason);
        return Api.Json(new QueuePausedResponse(state.QueueName, true, (state.PausedAt ?? default).UtcDateTime, state.Reason));
    }

    private static async Task<IResult> ResumeAsync(HttpContext context, JobBroker broker, string name)
    {
        var caller = Caller.Require(context);
        var state = await broker.ResumeQueueAsync(caller.OrganizationId, name);
        return Api.Json(new QueueResumedResponse(state.QueueName, true, state.PausedDurationSeconds));
    }
}
