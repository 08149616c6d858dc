using System.Text.Json.Serialization;
using Spooled.Http.Errors;

namespace Spooled.Http.Contracts;

/// <summary>Serializer metadata for the shapes every group shares.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(EmptyRequest))]
internal sealed partial class CommonJsonContext : JsonSerializerContext;
