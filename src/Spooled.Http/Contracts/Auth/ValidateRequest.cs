namespace Spooled.Http.Contracts.Auth;

/// <summary><c>POST /auth/validate</c>.</summary>
public sealed class ValidateRequest
{
    /// <summary>An access or refresh token.</summary>
    public required string Token { get; init; }
}
