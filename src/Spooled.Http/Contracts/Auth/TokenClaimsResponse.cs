namespace Spooled.Http.Contracts.Auth;

/// <summary>A valid token's claims, as in the token (times in Unix seconds).</summary>
public sealed record TokenClaimsResponse(
    string Sub,
    string OrgId,
    Guid ApiKeyId,
    IReadOnlyList<string> Queues,
    long Iat,
    long Exp,
    long Nbf,
    string Jti,
    string TokenType);
