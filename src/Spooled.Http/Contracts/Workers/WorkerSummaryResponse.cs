using Spooled.Broker;

namespace Spooled.Http.Contracts.Workers;

/// <summary>An item of <c>GET /workers</c>.</summary>
public sealed record WorkerSummaryResponse(string Id, string QueueName, string Hostname, string Status, int CurrentJobs, int MaxConcurrency, DateTime LastHeartbeat)
{
    /// <summary>Maps a broker view.</summary>
    public static WorkerSummaryResponse From(WorkerView worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new(worker.Id, worker.QueueName, worker.Hostname, worker.Status.ToWire(), worker.CurrentJobs, worker.MaxConcurrency, worker.LastHeartbeat.UtcDateTime);
    }
}
