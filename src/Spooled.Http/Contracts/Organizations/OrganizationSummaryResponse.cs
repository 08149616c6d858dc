using Spooled.Broker;

namespace Spooled.Http.Contracts.Organizations;

/// <summary>An item of <c>GET /organizations</c>.</summary>
public sealed record OrganizationSummaryResponse(string Id, string Name, string Slug, string PlanTier, DateTime CreatedAt)
{
    /// <summary>Maps a broker view.</summary>
    public static OrganizationSummaryResponse From(OrganizationView org)
    {
        ArgumentNullException.ThrowIfNull(org);
        return new(org.Id, org.Name, org.Slug, org.PlanTier, org.CreatedAt.UtcDateTime);
    }
}
