namespace Spooled.Broker;

/// <summary>Who an API key authenticates as. Immutable: a change publishes a new instance.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, string OrganizationId, IReadOnlyList<string> Queues, bool IsActive, DateTimeOffset? ExpiresAt);
