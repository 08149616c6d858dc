namespace Spooled.Http.Contracts.Auth;

/// <summary><c>POST /auth/login</c>.</summary>
public sealed class LoginRequest
{
    /// <summary>The API key to exchange for tokens (at least 10 characters).</summary>
    public required string ApiKey { get; init; }
}
