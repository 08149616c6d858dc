namespace Spooled.Http.Contracts.Organizations;

/// <summary>
/// An item of <c>GET /organizations/{id}/members</c>. There are no user accounts: each active API
/// key is shown as a member, an owner when it is not limited to some queues.
/// </summary>
public sealed record MemberResponse(Guid Id, Guid UserId, string Email, string Name, string Role, DateTime JoinedAt);
