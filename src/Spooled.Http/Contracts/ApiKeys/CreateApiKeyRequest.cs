namespace Spooled.Http.Contracts.ApiKeys;

/// <summary><c>POST /api-keys</c> (and the administrators' <c>POST /admin/organizations/{id}/api-keys</c>).</summary>
public sealed class CreateApiKeyRequest
{
    /// <summary>1..100 characters: letters, digits, spaces and <c>- _ . ( )</c>.</summary>
    public required string Name { get; init; }

    /// <summary>At most 50 queue names (or <c>*</c>) the key may use; empty means every queue.</summary>
    public List<string>? Queues { get; init; }

    /// <summary>1..10000 requests per second.</summary>
    public int? RateLimit { get; init; }

    /// <summary>A future time after which the key stops working.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
