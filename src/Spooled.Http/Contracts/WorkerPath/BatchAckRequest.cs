namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/batch/complete</c> and <c>/batch/fail</c>.</summary>
public sealed class BatchAckRequest
{
    /// <summary>The worker that holds the jobs.</summary>
    public required string WorkerId { get; init; }

    /// <summary>1..100 items.</summary>
    public required IReadOnlyList<BatchAckItem> Jobs { get; init; }
}
