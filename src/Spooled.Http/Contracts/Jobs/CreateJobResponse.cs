namespace Spooled.Http.Contracts.Jobs;

/// <summary>The created (or deduplicated) job's id.</summary>
public sealed record CreateJobResponse(Guid Id, bool Created);
