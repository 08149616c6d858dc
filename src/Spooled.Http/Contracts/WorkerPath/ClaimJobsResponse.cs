namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>The jobs a claim took (empty when none was ready or the queue is paused).</summary>
public sealed record ClaimJobsResponse(IReadOnlyList<ClaimedJobResponse> Jobs);
