namespace Spooled.Http.Contracts.ApiKeys;

/// <summary><c>PUT /api-keys/{id}</c>: absent fields keep their value; <c>is_active: false</c> revokes for good.</summary>
public sealed class UpdateApiKeyRequest
{
    /// <summary>1..100 characters: letters, digits, spaces and <c>- _ . ( )</c>.</summary>
    public string? Name { get; init; }

    /// <summary>At most 50 queue names (or <c>*</c>); empty means every queue.</summary>
    public List<string>? Queues { get; init; }

    /// <summary>1..10000 requests per second.</summary>
    public int? RateLimit { get; init; }

    /// <summary>False revokes; true is refused for a revoked key.</summary>
    public bool? IsActive { get; init; }
}
