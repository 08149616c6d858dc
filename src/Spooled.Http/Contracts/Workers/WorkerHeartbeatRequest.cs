using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Workers;

/// <summary><c>POST /workers/{id}/heartbeat</c>.</summary>
public sealed class WorkerHeartbeatRequest
{
    /// <summary>Jobs in hand.</summary>
    public required int CurrentJobs { get; init; }

    /// <summary><c>healthy</c>, <c>degraded</c> or <c>draining</c>; anything else counts as healthy.</summary>
    public string? Status { get; init; }

    /// <summary>Replaces the stored metadata when present.</summary>
    public RawJson? Metadata { get; init; }
}
