namespace Spooled.Broker;

/// <summary>A filtered, ordered page of an organization's jobs.</summary>
public sealed class JobQuery
{
    /// <summary>Only this queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>Only this status.</summary>
    public JobStatus? Status { get; init; }

    /// <summary>Only jobs carrying this tag (an array element, or an object key, of their tags).</summary>
    public string? Tag { get; init; }

    /// <summary>1..100.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Items to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Sort key.</summary>
    public JobOrder OrderBy { get; init; } = JobOrder.CreatedAt;

    /// <summary>Newest (or highest) first; the default.</summary>
    public bool Descending { get; init; } = true;
}
