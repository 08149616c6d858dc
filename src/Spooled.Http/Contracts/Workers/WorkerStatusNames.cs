using Spooled.Broker;

namespace Spooled.Http.Contracts.Workers;

/// <summary>The wire names of <see cref="WorkerStatus"/>.</summary>
internal static class WorkerStatusNames
{
    public static string ToWire(this WorkerStatus status) => status switch
    {
        WorkerStatus.Degraded => "degraded",
        WorkerStatus.Offline => "offline",
        WorkerStatus.Draining => "draining",
        _ => "healthy",
    };
}
