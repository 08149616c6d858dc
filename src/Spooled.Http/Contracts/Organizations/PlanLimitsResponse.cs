using Spooled.Http.Hosting;

namespace Spooled.Http.Contracts.Organizations;

/// <summary>
/// A plan's limits. A self-hosted server sells no plans: every tier gets the server's own limits,
/// so the counted resources are unlimited (null) and the fixed figures are what the server
/// enforces (payload size, the per-key rate limit where 0 means off, the retention of finished jobs).
/// </summary>
public sealed record PlanLimitsResponse(
    string Tier,
    string DisplayName,
    long? MaxJobsPerDay,
    long? MaxActiveJobs,
    long? MaxQueues,
    long? MaxWorkers,
    long? MaxApiKeys,
    long? MaxSchedules,
    long? MaxWorkflows,
    long? MaxWebhooks,
    long MaxPayloadSizeBytes,
    int RateLimitRequestsPerSecond,
    int RateLimitBurst,
    int JobRetentionDays,
    int HistoryRetentionDays)
{
    /// <summary>The tiers, in upgrade order.</summary>
    public static IReadOnlyList<string> Tiers { get; } = ["free", "starter", "pro", "enterprise"];

    /// <summary>The broker's payload limit (1 MiB).</summary>
    private const long MaxPayloadBytes = 1024 * 1024;

    /// <summary>The broker keeps finished jobs for its default retention window of 24 hours.</summary>
    private const int RetentionDays = 1;

    /// <summary>The tier whose limits apply: an unknown one (such as <c>deleted</c>) counts as free.</summary>
    public static string Effective(string tier) => tier is "starter" or "pro" or "enterprise" ? tier : "free";

    /// <summary>The limits of <paramref name="tier"/> on this server.</summary>
    public static PlanLimitsResponse For(string tier, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var effective = Effective(tier);
        return new PlanLimitsResponse(
            effective,
            DisplayNameOf(effective),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            MaxPayloadBytes,
            options.RateLimitPerSecond,
            options.RateLimitPerSecond > 0 ? options.RateLimitBurst : 0,
            RetentionDays,
            RetentionDays);
    }

    private static string DisplayNameOf(string tier) => tier switch
    {
        "starter" => "Starter",
        "pro" => "Pro",
        "enterprise" => "Enterprise",
        _ => "Free",
    };
}
