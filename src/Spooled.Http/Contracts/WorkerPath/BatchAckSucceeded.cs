namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>An acknowledged item.</summary>
public sealed record BatchAckSucceeded(int Index, Guid JobId);
