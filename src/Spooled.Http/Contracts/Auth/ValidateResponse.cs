using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Auth;

/// <summary>
/// <c>{"valid":true,"claims":{…},"organization_id","expires_at"}</c> or <c>{"valid":false,"error"}</c>:
/// the fields that do not apply are left out rather than null.
/// </summary>
public sealed class ValidateResponse
{
    /// <summary>Whether the token is valid now.</summary>
    public bool Valid { get; init; }

    /// <summary>The claims of a valid token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenClaimsResponse? Claims { get; init; }

    /// <summary>The organization of a valid token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrganizationId { get; init; }

    /// <summary>When a valid token expires.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? ExpiresAt { get; init; }

    /// <summary>Why a token is not valid.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
