namespace Spooled.Http.Contracts.Organizations;

/// <summary>Every resource's use.</summary>
public sealed record ResourceUsageResponse(
    UsageItemResponse JobsToday,
    UsageItemResponse ActiveJobs,
    UsageItemResponse Queues,
    UsageItemResponse Workers,
    UsageItemResponse ApiKeys,
    UsageItemResponse Schedules,
    UsageItemResponse Workflows,
    UsageItemResponse Webhooks);
