using Spooled.Http.Json;

namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>One job of a batch acknowledgement.</summary>
public sealed class BatchAckItem
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The lease from the claim; when given it must still be the job's lease.</summary>
    public string? LeaseId { get; init; }

    /// <summary>For a completion: any JSON, stored verbatim.</summary>
    public RawJson? Result { get; init; }

    /// <summary>For a failure: 1..2048 characters.</summary>
    public string? Error { get; init; }
}
