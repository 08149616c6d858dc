using Spooled.Broker;

namespace Spooled.Http.Contracts.ApiKeys;

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    IReadOnlyList<string> Queues,
    int? RateLimit,
    bool IsActive,
    DateTime CreatedAt,
    DateTime? LastUsed,
    DateTime? ExpiresAt)
{
    /// <summary>Maps a broker view.</summary>
    public static ApiKeyResponse From(ApiKeyView key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, key.Queues, key.RateLimit, key.IsActive, key.CreatedAt.UtcDateTime, key.LastUsed?.UtcDateTime, key.ExpiresAt?.UtcDateTime);
    }
}
