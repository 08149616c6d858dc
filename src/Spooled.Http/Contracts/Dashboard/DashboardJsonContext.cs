using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Dashboard;

/// <summary>Serializer metadata for the dashboard.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DashboardResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
