namespace Spooled.Http.Contracts.Jobs;

/// <summary>Per-item outcome of a bulk enqueue.</summary>
public sealed record BulkJobsResponse(IReadOnlyList<BulkSucceeded> Succeeded, IReadOnlyList<BulkFailed> Failed, int Total, int SuccessCount, int FailureCount);
