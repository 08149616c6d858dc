namespace Spooled.Broker;

/// <summary>A newly minted API key: the only time the raw key is seen.</summary>
public sealed record NewApiKey(Guid Id, string Key, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
