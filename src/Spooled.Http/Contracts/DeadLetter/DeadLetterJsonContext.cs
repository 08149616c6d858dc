using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.DeadLetter;

/// <summary>Serializer metadata for the dead-letter routes (the list reuses the job summaries).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DeadLetterRetryRequest))]
[JsonSerializable(typeof(DeadLetterRetryResponse))]
[JsonSerializable(typeof(DeadLetterPurgeRequest))]
[JsonSerializable(typeof(DeadLetterPurgeResponse))]
internal sealed partial class DeadLetterJsonContext : JsonSerializerContext;
