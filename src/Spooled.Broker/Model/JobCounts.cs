namespace Spooled.Broker;

/// <summary>Jobs held per status, for an organization or a queue.</summary>
public sealed record JobCounts(long Pending, long Scheduled, long Processing, long Completed, long Failed, long DeadLetter, long Cancelled)
{
    /// <summary>Sum of all statuses.</summary>
    public long Total => Pending + Scheduled + Processing + Completed + Failed + DeadLetter + Cancelled;
}
