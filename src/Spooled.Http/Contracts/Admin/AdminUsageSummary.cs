namespace Spooled.Http.Contracts.Admin;

/// <summary>An organization's use, as listed to administrators.</summary>
public sealed record AdminUsageSummary(long JobsToday, long ActiveJobs, long Queues, long Workers, long ApiKeys);
