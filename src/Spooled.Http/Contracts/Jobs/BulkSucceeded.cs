namespace Spooled.Http.Contracts.Jobs;

/// <summary>An accepted bulk item.</summary>
public sealed record BulkSucceeded(int Index, Guid JobId, bool Created);
