namespace Spooled.Http.Contracts.Auth;

/// <summary><c>POST /auth/logout</c>: optional; a refresh token given here is revoked too.</summary>
public sealed class LogoutRequest
{
    /// <summary>For an empty body.</summary>
    public static readonly LogoutRequest Empty = new();

    /// <summary>The session's refresh token.</summary>
    public string? RefreshToken { get; init; }
}
