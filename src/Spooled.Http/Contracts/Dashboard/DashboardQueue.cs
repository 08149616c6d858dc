namespace Spooled.Http.Contracts.Dashboard;

/// <summary>A queue's active jobs and whether it is paused.</summary>
public sealed record DashboardQueue(string Name, long Pending, long Scheduled, long Processing, bool Paused);
