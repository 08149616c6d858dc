using Spooled.Http.Json;

namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/{id}/progress</c>.</summary>
public sealed class JobProgressRequest
{
    /// <summary>The worker that holds the job; the Go SDK omits it, and then the job's current holder is assumed.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The lease from the claim; when given it must still be the job's lease.</summary>
    public string? LeaseId { get; init; }

    /// <summary>Any JSON (the Go SDK sends a percentage).</summary>
    public RawJson? Progress { get; init; }

    /// <summary>Free text.</summary>
    public string? Message { get; init; }
}
