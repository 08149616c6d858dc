namespace Spooled.Broker;

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKeyView(
    Guid Id,
    string Name,
    IReadOnlyList<string> Queues,
    int? RateLimit,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsed,
    DateTimeOffset? ExpiresAt);
