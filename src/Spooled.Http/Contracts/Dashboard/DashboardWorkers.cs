namespace Spooled.Http.Contracts.Dashboard;

/// <summary>
/// Workers by status: <c>total</c> counts those not offline, <c>unhealthy</c> those of them not
/// healthy (degraded or draining).
/// </summary>
public sealed record DashboardWorkers(long Total, long Healthy, long Unhealthy, long Degraded, long Draining, long Offline);
