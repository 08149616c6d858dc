namespace Spooled.Http.Contracts.Jobs;

/// <summary>The priority change.</summary>
public sealed record PriorityResponse(Guid JobId, int OldPriority, int NewPriority);
