namespace Spooled.Broker;

/// <summary>A created organization with its first API key.</summary>
public sealed record NewOrganization(OrganizationView Organization, NewApiKey ApiKey);
