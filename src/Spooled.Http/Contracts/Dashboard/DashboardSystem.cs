namespace Spooled.Http.Contracts.Dashboard;

/// <summary>The server: version, uptime, and whether the store (and the cache, of which there is none) work.</summary>
public sealed record DashboardSystem(string Version, long UptimeSeconds, DateTime StartedAt, string DatabaseStatus, string CacheStatus, string Environment);
