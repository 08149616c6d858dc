namespace Spooled.Http.Contracts.Jobs;

/// <summary>A refused bulk item.</summary>
public sealed record BulkFailed(int Index, string Error);
