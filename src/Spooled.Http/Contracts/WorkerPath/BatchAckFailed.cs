namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>A refused item: the id as sent, and the error code the single-job route would answer.</summary>
public sealed record BatchAckFailed(int Index, string JobId, string Code, string Message);
