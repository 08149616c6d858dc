namespace Spooled.Http.Contracts.DeadLetter;

/// <summary>
/// <c>POST /jobs/dlq/purge</c> as each SDK sends it: Node <c>{confirm, queue_name?, older_than?}</c>,
/// Python <c>{queue_name?, job_ids?, older_than_days?}</c>, Go <c>{queue_name?}</c>. Filters combine.
/// </summary>
public sealed class DeadLetterPurgeRequest
{
    /// <summary>Required when no filter is given; <c>false</c> always refuses.</summary>
    public bool? Confirm { get; init; }

    /// <summary>Only this queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    public DateTimeOffset? OlderThan { get; init; }

    /// <summary>Only jobs created more than this many days ago.</summary>
    public int? OlderThanDays { get; init; }

    /// <summary>Only these jobs.</summary>
    public IReadOnlyList<string>? JobIds { get; init; }

    /// <summary>At most this many, 1..10000; default 10000.</summary>
    public int? Limit { get; init; }
}
