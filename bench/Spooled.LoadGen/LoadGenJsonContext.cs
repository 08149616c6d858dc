using System.Text.Json.Serialization;

namespace Spooled.LoadGen;

/// <summary>Source-generated serializer metadata: no reflection on the hot path or in the report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(ClaimResponse))]
[JsonSerializable(typeof(ItemCounts))]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class LoadGenJsonContext : JsonSerializerContext;
