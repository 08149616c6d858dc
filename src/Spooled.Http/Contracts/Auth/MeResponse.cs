namespace Spooled.Http.Contracts.Auth;

/// <summary><c>GET /auth/me</c>: who an access token speaks for, and its lifetime.</summary>
public sealed record MeResponse(string OrganizationId, Guid ApiKeyId, IReadOnlyList<string> Queues, DateTime IssuedAt, DateTime ExpiresAt);
