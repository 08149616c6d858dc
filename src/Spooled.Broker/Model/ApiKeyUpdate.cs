namespace Spooled.Broker;

/// <summary>An API key change; null fields keep their value. A revoked key cannot be re-activated.</summary>
public sealed class ApiKeyUpdate
{
    /// <summary>New name.</summary>
    public string? Name { get; init; }

    /// <summary>New queue scope.</summary>
    public IReadOnlyList<string>? Queues { get; init; }

    /// <summary>New rate limit.</summary>
    public int? RateLimit { get; init; }

    /// <summary>False revokes.</summary>
    public bool? IsActive { get; init; }
}
