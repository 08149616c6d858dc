namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/{id}/heartbeat</c>.</summary>
public sealed class JobHeartbeatRequest
{
    /// <summary>The worker that holds the job.</summary>
    public required string WorkerId { get; init; }

    /// <summary>New lease length from now, 5..3600; default 30.</summary>
    public int? LeaseDurationSecs { get; init; }

    /// <summary>The lease from the claim; when given it must still be the job's lease.</summary>
    public string? LeaseId { get; init; }
}
