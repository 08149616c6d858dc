using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Auth;

/// <summary>Serializer metadata for the token routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(RefreshResponse))]
[JsonSerializable(typeof(ValidateRequest))]
[JsonSerializable(typeof(ValidateResponse))]
[JsonSerializable(typeof(LogoutRequest))]
[JsonSerializable(typeof(MeResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
