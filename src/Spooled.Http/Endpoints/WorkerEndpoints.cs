using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts;
using Spooled.Http.Contracts.Workers;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>Worker registry routes: register, list, read, heartbeat, deregister.</summary>
internal static class WorkerEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var workers = routes.MapGroup("/api/v1/workers");
        workers.MapPost("/register", RegisterAsync);
        workers.MapGet("", ListAsync);
        workers.MapGet("/{id}", GetAsync);
        workers.MapPost("/{id}/heartbeat", HeartbeatAsync);
        workers.MapPost("/{id}/deregister", DeregisterAsync);
        workers.MapDelete("/{id}", DeregisterAsync); // The Go SDK's path.
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<RegisterWorkerRequest>(context.Request);
        JobEndpoints.RequireQueue(context, caller, body.QueueName);
        var (worker, leaseSeconds, heartbeatSeconds) = await broker.RegisterWorkerAsync(caller.OrganizationId, new WorkerRegistration
        {
            WorkerId = body.WorkerId,
            QueueName = body.QueueName,
            Hostname = body.Hostname,
            WorkerType = body.WorkerType,
            MaxConcurrency = body.MaxConcurrency,
            Metadata = RawJson.BytesOrNull(body.Metadata),
            Version = body.Version,
        });
        return Api.Json(new RegisterWorkerResponse(worker.Id, worker.QueueName, leaseSeconds, heartbeatSeconds), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var workers = await broker.ListWorkersAsync(caller.OrganizationId);
        var items = new List<WorkerSummaryResponse>(workers.Count);
        foreach (var worker in workers)
        {
            items.Add(WorkerSummaryResponse.From(worker));
        }

        return Api.Json(items);
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        return Api.Json(WorkerResponse.From(await broker.GetWorkerAsync(caller.OrganizationId, id)));
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var body = await JsonBody.ReadAsync<WorkerHeartbeatRequest>(context.Request);
        await broker.WorkerHeartbeatAsync(caller.OrganizationId, id, body.CurrentJobs, body.Status, RawJson.BytesOrNull(body.Metadata));
        return Api.Json(SuccessResponse.Instance);
    }

    private static async Task<IResult> DeregisterAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        await broker.DeregisterWorkerAsync(caller.OrganizationId, id);
        return Results.NoContent();
    }
}
