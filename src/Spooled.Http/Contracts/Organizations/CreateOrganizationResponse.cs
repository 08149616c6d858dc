namespace Spooled.Http.Contracts.Organizations;

/// <summary><c>POST /organizations</c>: the organization and its first API key.</summary>
public sealed record CreateOrganizationResponse(OrganizationResponse Organization, InitialApiKeyResponse ApiKey);
