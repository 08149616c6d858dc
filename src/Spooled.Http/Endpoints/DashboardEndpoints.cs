using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.Dashboard;
using Spooled.Http.Contracts.Jobs;
using Spooled.Http.Hosting;

namespace Spooled.Http.Endpoints;

/// <summary>
/// <c>GET /api/v1/dashboard</c>: one summary of the caller's organization.
/// <code>
/// {
///   "system":  {version, uptime_seconds, started_at, database_status, cache_status, environment},
///   "jobs":    {total, pending, scheduled, processing, completed, failed, deadletter, cancelled,
///               completed_24h, failed_24h, avg_wait_time_ms (null: not tracked), avg_processing_time_ms},
///   "queues":  [{name, pending, scheduled, processing, paused}]   (at most 20, busiest first),
///   "workers": {total, healthy, unhealthy, degraded, draining, offline},
///   "recent_activity": {jobs_created_1h, jobs_completed_1h, jobs_failed_1h},
///   "recent_jobs": [job summary as in GET /jobs]                  (the 10 newest)
/// }
/// </code>
/// Job counts are of the jobs held now (finished jobs leave after the retention window);
/// <c>completed_24h</c> and <c>failed_24h</c> count completions and failed attempts over the last
/// 24 hours; <c>recent_activity</c> counts the jobs created in the last hour and, of those, the
/// ones completed and the ones failed or dead-lettered.
/// </summary>
internal static class DashboardEndpoints
{
    private const int MaxQueues = 20;
    private const int RecentJobs = 10;

    private static readonly string s_version = typeof(DashboardEndpoints).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var started = routes.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        routes.MapGet("/api/v1/dashboard", (HttpContext context, JobBroker broker, ServerOptions options, TimeProvider time) => GetAsync(context, broker, options, time, started));
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, ServerOptions options, TimeProvider time, DateTimeOffset started)
    {
        var caller = Caller.Require(context);
        var orgId = caller.OrganizationId;
        var now = time.GetUtcNow();
        var counts = await broker.GetJobCountsAsync(orgId);

        var stats = await QueueStatsAsync(broker, orgId);
        var (completed, failed, averageMs) = Sum(stats);
        stats.Sort(static (a, b) =>
        {
            var c = (b.PendingJobs + b.ScheduledJobs + b.ProcessingJobs).CompareTo(a.PendingJobs + a.ScheduledJobs + a.ProcessingJobs);
            return c != 0 ? c : string.CompareOrdinal(a.QueueName, b.QueueName);
        });
        var queues = new List<DashboardQueue>(Math.Min(stats.Count, MaxQueues));
        for (var i = 0; i < stats.Count && i < MaxQueues; i++)
        {
            queues.Add(new DashboardQueue(stats[i].QueueName, stats[i].PendingJobs, stats[i].ScheduledJobs, stats[i].ProcessingJobs, stats[i].Paused));
        }

        long healthy = 0, degraded = 0, draining = 0, offline = 0;
        foreach (var worker in await broker.ListWorkersAsync(orgId))
        {
            healthy += worker.Status == WorkerStatus.Healthy ? 1 : 0;
            degraded += worker.Status == WorkerStatus.Degraded ? 1 : 0;
            draining += worker.Status == WorkerStatus.Draining ? 1 : 0;
            offline += worker.Status == WorkerStatus.Offline ? 1 : 0;
        }

        var hourAgo = now.AddHours(-1);
        var activity = new DashboardActivity(
            await OrganizationEndpoints.CountCreatedSinceAsync(broker, orgId, hourAgo),
            await OrganizationEndpoints.CountCreatedSinceAsync(broker, orgId, hourAgo, JobStatus.Completed),
            await OrganizationEndpoints.CountCreatedSinceAsync(broker, orgId, hourAgo, JobStatus.DeadLetter)
                + await OrganizationEndpoints.CountCreatedSinceAsync(broker, orgId, hourAgo, JobStatus.Failed));

        var recent = new List<JobSummaryResponse>(RecentJobs);
        foreach (var job in await broker.ListJobsAsync(orgId, new JobQuery { Limit = RecentJobs }))
        {
            recent.Add(JobSummaryResponse.From(job));
        }

        return Api.Json(new DashboardResponse(
            new DashboardSystem(s_version, (long)(now - started).TotalSeconds, started.UtcDateTime, broker.Failure is null ? "healthy" : "unhealthy", "healthy", options.LiveKeys ? "production" : "development"),
            new DashboardJobs(
                counts.Total,
                counts.Pending,
                counts.Scheduled,
                counts.Processing,
                counts.Completed,
                counts.Failed,
                counts.DeadLetter,
                counts.Cancelled,
                completed,
                failed,
                null,
                averageMs),
            queues,
            new DashboardWorkers(healthy + degraded + draining, healthy, degraded + draining, degraded, draining, offline),
            activity,
            recent));
    }

    /// <summary>Completions, failed attempts and mean processing time (ms) over the last 24 hours, across the organization's queues.</summary>
    internal static async Task<(long Completed, long Failed, double? AverageProcessingMs)> Last24HoursAsync(JobBroker broker, string orgId) =>
        Sum(await QueueStatsAsync(broker, orgId));

    private static (long Completed, long Failed, double? AverageProcessingMs) Sum(List<QueueStats> stats)
    {
        long completed = 0, failed = 0;
        double processingMs = 0;
        foreach (var queue in stats)
        {
            completed += queue.CompletedJobs24h;
            failed += queue.FailedJobs24h;
            processingMs += (queue.AverageProcessingTimeMs ?? 0) * queue.CompletedJobs24h;
        }

        return (completed, failed, completed == 0 ? null : processingMs / completed);
    }

    private static async Task<List<QueueStats>> QueueStatsAsync(JobBroker broker, string orgId)
    {
        var queues = await broker.ListQueuesAsync(orgId);
        var stats = new List<QueueStats>(queues.Count);
        foreach (var queue in queues)
        {
            try
            {
                stats.Add(await broker.GetQueueStatsAsync(orgId, queue.QueueName));
            }
            catch (BrokerException error) when (error.Code == BrokerErrorCode.NotFound)
            {
                // Deleted since it was listed.
            }
        }

        return stats;
    }
}
