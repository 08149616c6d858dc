namespace Spooled.Http.Contracts.Auth;

/// <summary><c>POST /auth/refresh</c>.</summary>
public sealed class RefreshRequest
{
    /// <summary>A refresh token from <c>/auth/login</c>.</summary>
    public required string RefreshToken { get; init; }
}
