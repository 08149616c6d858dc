using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.ApiKeys;

/// <summary>Serializer metadata for the API key routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(CreateApiKeyResponse))]
[JsonSerializable(typeof(UpdateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(List<ApiKeyResponse>))]
internal sealed partial class ApiKeysJsonContext : JsonSerializerContext;
