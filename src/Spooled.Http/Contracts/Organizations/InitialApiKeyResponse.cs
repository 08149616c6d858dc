using Spooled.Broker;

namespace Spooled.Http.Contracts.Organizations;

/// <summary>The first key of a new organization; the raw key is shown only here.</summary>
public sealed record InitialApiKeyResponse(Guid Id, string Key, string Name, DateTime CreatedAt)
{
    /// <summary>Maps a newly minted key.</summary>
    public static InitialApiKeyResponse From(NewApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Key, key.Name, key.CreatedAt.UtcDateTime);
    }
}
