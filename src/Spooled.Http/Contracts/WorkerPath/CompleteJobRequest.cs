using Spooled.Http.Json;

namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/{id}/complete</c>.</summary>
public sealed class CompleteJobRequest
{
    /// <summary>The worker that holds the job.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Any JSON, stored verbatim.</summary>
    public RawJson? Result { get; init; }

    /// <summary>The lease from the claim; when given it must still be the job's lease.</summary>
    public string? LeaseId { get; init; }
}
