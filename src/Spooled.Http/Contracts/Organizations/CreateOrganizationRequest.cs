namespace Spooled.Http.Contracts.Organizations;

/// <summary><c>POST /organizations</c>.</summary>
public sealed class CreateOrganizationRequest
{
    /// <summary>3..100 characters.</summary>
    public required string Name { get; init; }

    /// <summary>3..50 characters: lower-case letters, digits and single hyphens, starting with a letter; not reserved.</summary>
    public required string Slug { get; init; }

    /// <summary>A valid e-mail address.</summary>
    public string? BillingEmail { get; init; }
}
