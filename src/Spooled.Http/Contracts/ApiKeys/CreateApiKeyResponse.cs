using Spooled.Broker;

namespace Spooled.Http.Contracts.ApiKeys;

/// <summary>A new key; the raw key is shown only here.</summary>
public sealed record CreateApiKeyResponse(Guid Id, string Key, string Name, DateTime CreatedAt, DateTime? ExpiresAt)
{
    /// <summary>Maps a newly minted key.</summary>
    public static CreateApiKeyResponse From(NewApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Key, key.Name, key.CreatedAt.UtcDateTime, key.ExpiresAt?.UtcDateTime);
    }
}
