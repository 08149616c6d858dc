namespace Spooled.Http.Contracts.Admin;

/// <summary><c>GET /admin/stats</c>: figures across every organization.</summary>
public sealed record AdminStatsResponse(AdminOrganizationStats Organizations, AdminJobStats Jobs, AdminWorkerStats Workers, AdminSystemStats System);
