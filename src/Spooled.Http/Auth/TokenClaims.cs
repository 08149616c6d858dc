namespace Spooled.Http.Auth;

/// <summary>What a valid token says.</summary>
public sealed record TokenClaims(string OrganizationId, Guid ApiKeyId, IReadOnlyList<string> Queues, string Jti, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string TokenType);
