namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/{id}/fail</c>.</summary>
public sealed class FailJobRequest
{
    /// <summary>The worker that holds the job.</summary>
    public required string WorkerId { get; init; }

    /// <summary>1..2048 characters.</summary>
    public required string Error { get; init; }

    /// <summary>The lease from the claim; when given it must still be the job's lease.</summary>
    public string? LeaseId { get; init; }
}
