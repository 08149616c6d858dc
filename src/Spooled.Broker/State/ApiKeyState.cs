namespace Spooled.Broker.State;

/// <summary>An API key: only the SHA-256 of the key is kept.</summary>
internal sealed class ApiKeyState
{
    public ApiKeyState(Guid id, OrgState org, ApiKeyHash hash, long createdAt)
    {
        Id = id;
        Org = org;
        Hash = hash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; }

    public OrgState Org { get; }

    public ApiKeyHash Hash { get; }

    public string Name { get; set; } = "";

    public string[] Queues { get; set; } = [];

    public int? RateLimit { get; set; }

    public bool IsActive { get; set; } = true;

    public long CreatedAt { get; }

    public long ExpiresAt { get; set; }

    /// <summary>Last successful authentication; in memory only (not a logged change).</summary>
    public long LastUsed;
}
