namespace Spooled.Http.Contracts.Auth;

/// <summary>An access token and a refresh token, with their lifetimes in seconds.</summary>
public sealed record LoginResponse(string AccessToken, string RefreshToken, string TokenType, long ExpiresIn, long RefreshExpiresIn);
