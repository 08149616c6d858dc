namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>Per-item outcome of a batch acknowledgement.</summary>
public sealed record BatchAckResponse(IReadOnlyList<BatchAckSucceeded> Succeeded, IReadOnlyList<BatchAckFailed> Failed, int Total, int SuccessCount, int FailureCount);
