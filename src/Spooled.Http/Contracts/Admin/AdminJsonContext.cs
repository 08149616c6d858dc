using System.Text.Json.Serialization;
using Spooled.Http.Contracts.ApiKeys;
using Spooled.Http.Contracts.Organizations;

namespace Spooled.Http.Contracts.Admin;

/// <summary>Serializer metadata for the administrators' routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AdminCreateOrganizationRequest))]
[JsonSerializable(typeof(AdminCreateOrganizationResponse))]
[JsonSerializable(typeof(AdminUpdateOrganizationRequest))]
[JsonSerializable(typeof(AdminOrganizationList))]
[JsonSerializable(typeof(AdminOrganizationDetail))]
[JsonSerializable(typeof(AdminStatsResponse))]
[JsonSerializable(typeof(List<PlanLimitsResponse>))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(CreateApiKeyResponse))]
[JsonSerializable(typeof(OrganizationResponse))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
