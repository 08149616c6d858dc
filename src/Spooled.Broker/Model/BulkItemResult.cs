namespace Spooled.Broker;

/// <summary>One bulk item's outcome: a job id (created or duplicate), or an error.</summary>
public readonly record struct BulkItemResult(int Index, Guid? JobId, bool Created, string? Error);
