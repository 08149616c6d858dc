namespace Spooled.Http.Contracts.Auth;

/// <summary>A new access token (the refresh token stays the same).</summary>
public sealed record RefreshResponse(string AccessToken, string TokenType, long ExpiresIn);
