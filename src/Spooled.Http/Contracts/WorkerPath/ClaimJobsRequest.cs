namespace Spooled.Http.Contracts.WorkerPath;

/// <summary><c>POST /jobs/claim</c>.</summary>
public sealed class ClaimJobsRequest
{
    /// <summary>Queue to take from.</summary>
    public required string QueueName { get; init; }

    /// <summary>The claiming worker.</summary>
    public required string WorkerId { get; init; }

    /// <summary>1..100; default 1.</summary>
    public int? Limit { get; init; }

    /// <summary>5..3600; default 30.</summary>
    public int? LeaseDurationSecs { get; init; }

    /// <summary>Long poll, 0..30; default 0 (answer at once).</summary>
    public int? WaitSecs { get; init; }
}
