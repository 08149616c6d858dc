using Spooled.Http.Contracts.Jobs;

namespace Spooled.Http.Contracts.Dashboard;

/// <summary>
/// <c>GET /dashboard</c>: the reference's five sections (<c>system</c>, <c>jobs</c>, <c>queues</c>,
/// <c>workers</c>, <c>recent_activity</c>, whose fields the SDKs require) plus counts for every
/// status and the ten most recently created jobs (<c>recent_jobs</c>).
/// </summary>
public sealed record DashboardResponse(
    DashboardSystem System,
    DashboardJobs Jobs,
    IReadOnlyList<DashboardQueue> Queues,
    DashboardWorkers Workers,
    DashboardActivity RecentActivity,
    IReadOnlyList<JobSummaryResponse> RecentJobs);
