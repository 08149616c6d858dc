using Spooled.Broker;

namespace Spooled.Http.Contracts.Jobs;

/// <summary><c>GET /jobs/stats</c>: the organization's jobs per status.</summary>
public sealed record JobStatsResponse(long Pending, long Scheduled, long Processing, long Completed, long Failed, long Deadletter, long Cancelled, long Total)
{
    /// <summary>Maps broker counts.</summary>
    public static JobStatsResponse From(JobCounts c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Pending, c.Scheduled, c.Processing, c.Completed, c.Failed, c.DeadLetter, c.Cancelled, c.Total);
    }
}
