using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Organizations;

/// <summary>Serializer metadata for the organization routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateOrganizationRequest))]
[JsonSerializable(typeof(CreateOrganizationResponse))]
[JsonSerializable(typeof(UpdateOrganizationRequest))]
[JsonSerializable(typeof(OrganizationResponse))]
[JsonSerializable(typeof(List<OrganizationSummaryResponse>))]
[JsonSerializable(typeof(List<MemberResponse>))]
[JsonSerializable(typeof(UsageResponse))]
internal sealed partial class OrganizationsJsonContext : JsonSerializerContext;
