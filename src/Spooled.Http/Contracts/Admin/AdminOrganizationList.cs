namespace Spooled.Http.Contracts.Admin;

/// <summary><c>GET /admin/organizations</c>: a page and the number of matches.</summary>
public sealed record AdminOrganizationList(IReadOnlyList<AdminOrganizationItem> Organizations, int Total, int Limit, int Offset);
