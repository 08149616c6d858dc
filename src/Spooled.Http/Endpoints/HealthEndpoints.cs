using Spooled.Broker;
using Spooled.Http.Contracts;

namespace Spooled.Http.Endpoints;

/// <summary>
/// <c>/health</c> (200 while the broker accepts writes, else 503), <c>/health/live</c> (the process
/// answers) and <c>/health/ready</c> (the log is writable).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", (JobBroker broker) => Health(broker));
        routes.MapGet("/health/ready", (JobBroker broker) => Health(broker));
        routes.MapGet("/health/live", () => Api.Json(new HealthResponse("healthy", true, true, null)));
    }

    private static IResult Health(JobBroker broker) => broker.Failure is null
        ? Api.Json(new HealthResponse("healthy", true, true, null))
        : Api.Json(new HealthResponse("unhealthy", false, true, null), StatusCodes.Status503ServiceUnavailable);
}
