namespace Spooled.Http.Contracts.Organizations;

/// <summary>One resource's use against its limit (a null limit is no limit).</summary>
public sealed record UsageItemResponse(long Current, long? Limit, double? Percentage, bool IsDisabled)
{
    /// <summary>Use of a resource the server does not limit.</summary>
    public static UsageItemResponse Unlimited(long current) => new(current, null, null, false);
}
