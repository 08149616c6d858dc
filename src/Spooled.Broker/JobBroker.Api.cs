namespace Spooled.Broker;

/// <content>
/// The operations. Every one is scoped by organization: an id of another organization's job,
/// queue, worker or key behaves exactly like a missing one. Refusals are
/// <see cref="BrokerException"/>s and change nothing.
/// </content>
public sealed partial class JobBroker
{
    /// <summary>Enqueues one job; a known idempotency key returns the existing job with <c>Created = false</c>.</summary>
    public Task<EnqueueResult> EnqueueAsync(string orgId, JobSpec job) => Submit(e => e.Enqueue(orgId, job));

    /// <summary>Enqueues up to 100 jobs for one queue: every valid item in one record, a result per item.</summary>
    public Task<BulkEnqueueResult> EnqueueBulkAsync(string orgId, BulkEnqueueRequest request) => Submit(e => e.EnqueueBulk(orgId, request));

    /// <summary>Claims up to <see cref="ClaimRequest.Limit"/> jobs under fresh leases (none from a paused queue).</summary>
    /// <remarks>With <see cref="ClaimRequest.WaitSeconds"/> the answer may wait for a job; cancelling stops the wait.</remarks>
    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string orgId, ClaimRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new Engine.ClaimCommand(orgId, request, cancellation);
        return TryEnqueue(command) is { } refusal ? Task.FromException<IReadOnlyList<ClaimedJob>>(refusal) : command.Task;
    }

    /// <summary>Completes one job. Throws <see cref="BrokerErrorCode.LeaseExpired"/> for a stale lease.</summary>
    public async Task CompleteAsync(string orgId, Guid jobId, string workerId, Guid? leaseId, byte[]? result)
    {
        var outcome = await Submit(e => e.Complete(orgId, workerId, [new JobAck { JobId = jobId, LeaseId = leaseId, Result = result }])).ConfigureAwait(false);
        ThrowIfRefused(outcome[0]);
    }

    /// <summary>Fails one job: retried after the queue's backoff while attempts remain, else dead-lettered.</summary>
    public async Task<FailOutcome> FailAsync(string orgId, Guid jobId, string workerId, Guid? leaseId, string error)
    {
        var outcome = await Submit(e => e.Fail(orgId, workerId, [new JobAck { JobId = jobId, LeaseId = leaseId, Error = error }])).ConfigureAwait(false);
        var item = outcome[0];
        ThrowIfRefused(item);
        return new FailOutcome(item.WillRetry, item.RetryCount, item.NextAttemptAt);
    }

    /// <summary>Completes up to 100 jobs; accepted ones in one record, a result per item.</summary>
    public Task<AckResult[]> CompleteManyAsync(string orgId, string workerId, IReadOnlyList<JobAck> jobs) => Submit(e => e.Complete(orgId, workerId, jobs));

    /// <summary>Fails up to 100 jobs; accepted ones in one record, a result per item.</summary>
    public Task<AckResult[]> FailManyAsync(string orgId, string workerId, IReadOnlyList<JobAck> jobs) => Submit(e => e.Fail(orgId, workerId, jobs));

    /// <summary>Extends a held job's lease to now + <paramref name="leaseSeconds"/>; returns the new expiry.</summary>
    public Task<DateTimeOffset> HeartbeatAsync(string orgId, Guid jobId, string workerId, Guid? leaseId, int leaseSeconds) =>
        Submit(e => e.Heartbeat(orgId, jobId, workerId, leaseId, leaseSeconds));

    /// <summary>Stores a held job's progress report (UTF-8 JSON, at most 64 KiB).</summary>
    public Task ReportProgressAsync(string orgId, Guid jobId, string workerId, Guid? leaseId, byte[] progress) =>
        Submit(e =>
        {
            e.Progress(orgId, jobId, workerId, leaseId, progress);
            return true;
        });

    /// <summary>Cancels a pending or scheduled job.</summary>
    public Task CancelAsync(string orgId, Guid jobId) => Submit(e =>
    {
        e.Cancel(orgId, jobId);
        return true;
    });

    /// <summary>Retries a failed or dead-lettered job with a fresh attempt budget.</summary>
    public Task<JobView> RetryAsync(string orgId, Guid jobId) => Submit(e => e.Retry(orgId, jobId));

    /// <summary>Changes a pending or scheduled job's priority.</summary>
    public Task<PriorityChange> SetPriorityAsync(string orgId, Guid jobId, int priority) => Submit(e => e.SetPriority(orgId, jobId, priority));

    /// <summary>Every field of a job, or null.</summary>
    public Task<JobView?> GetJobAsync(string orgId, Guid jobId) => Submit(e => e.GetJob(orgId, jobId));

    /// <summary>A filtered, ordered page of jobs.</summary>
    public Task<IReadOnlyList<JobSummary>> ListJobsAsync(string orgId, JobQuery query) => Submit(e => e.ListJobs(orgId, query));

    /// <summary>Statuses of up to 100 jobs; unknown ids are left out.</summary>
    public Task<IReadOnlyList<JobSummary>> GetStatusesAsync(string orgId, IReadOnlyList<Guid> ids) => Submit(e => e.GetStatuses(orgId, ids));

    /// <summary>How many of the organization's jobs (of a status, when given) were created since a time.</summary>
    public Task<long> CountCreatedSinceAsync(string orgId, DateTimeOffset since, JobStatus? status = null) =>
        Submit(e => e.CountCreatedSince(orgId, since.UtcTicks, status));

    /// <summary>The organization's jobs per status.</summary>
    public Task<JobCounts> GetJobCountsAsync(string orgId) => Submit(e => e.GetCounts(orgId));

    /// <summary>Retries dead-lettered jobs; returns their ids.</summary>
    public Task<IReadOnlyList<Guid>> RetryDeadLetterAsync(string orgId, DeadLetterRetry request) => Submit(e => e.RetryDeadLetter(orgId, request));

    /// <summary>Deletes dead-lettered jobs for good; returns how many.</summary>
    public Task<int> PurgeDeadLetterAsync(string orgId, DeadLetterPurge request) => Submit(e => e.PurgeDeadLetter(orgId, request));

    /// <summary>Every queue the organization has (named by a job or configured), by name.</summary>
    public Task<IReadOnlyList<QueueView>> ListQueuesAsync(string orgId) => Submit(e => e.ListQueues(orgId));

    /// <summary>One queue.</summary>
    public Task<QueueView> GetQueueAsync(string orgId, string name) => Submit(e => e.GetQueue(orgId, name));

    /// <summary>Changes a queue's configuration (creating the queue when needed).</summary>
    public Task<QueueView> ConfigureQueueAsync(string orgId, string name, QueueConfigUpdate update) => Submit(e => e.Configure(orgId, name, update));

    /// <summary>Pauses a queue: claims return nothing until it resumes; enqueueing goes on.</summary>
    public Task<QueuePauseState> PauseQueueAsync(string orgId, string name, string? reason) => Submit(e => e.Pause(orgId, name, reason));

    /// <summary>Resumes a queue.</summary>
    public Task<QueuePauseState> ResumeQueueAsync(string orgId, string name) => Submit(e => e.Resume(orgId, name));

    /// <summary>Deletes a queue's configuration; refused while it has active jobs.</summary>
    public Task DeleteQueueAsync(string orgId, string name) => Submit(e =>
    {
        e.DeleteQueue(orgId, name);
        return true;
    });

    /// <summary>A queue's live figures.</summary>
    public Task<QueueStats> GetQueueStatsAsync(string orgId, string name) => Submit(e => e.GetQueueStats(orgId, name));

    /// <summary>Registers (or updates) a worker; returns it with the lease and heartbeat intervals to use.</summary>
    public Task<(WorkerView Worker, int LeaseSeconds, int HeartbeatSeconds)> RegisterWorkerAsync(string orgId, WorkerRegistration registration) =>
        Submit(e => e.RegisterWorker(orgId, registration));

    /// <summary>Records a worker heartbeat.</summary>
    public Task WorkerHeartbeatAsync(string orgId, string workerId, int currentJobs, string? status, byte[]? metadata) => Submit(e =>
    {
        e.WorkerHeartbeat(orgId, workerId, currentJobs, status, metadata);
        return true;
    });

    /// <summary>Marks a worker offline and releases its jobs to pending at once; returns how many.</summary>
    public Task<int> DeregisterWorkerAsync(string orgId, string workerId) => Submit(e => e.DeregisterWorker(orgId, workerId));

    /// <summary>Up to 100 workers, most recent heartbeat first.</summary>
    public Task<IReadOnlyList<WorkerView>> ListWorkersAsync(string orgId) => Submit(e => e.ListWorkers(orgId));

    /// <summary>One worker.</summary>
    public Task<WorkerView> GetWorkerAsync(string orgId, string workerId) => Submit(e => e.GetWorker(orgId, workerId));

    /// <summary>Creates an organization with its first API key (all queues, no expiry).</summary>
    public Task<NewOrganization> CreateOrganizationAsync(string name, string slug, string? billingEmail = null, string? planTier = null, string? id = null, bool checkReservedSlugs = true) =>
        Submit(e => e.CreateOrganization(name, slug, billingEmail, planTier, id, checkReservedSlugs));

    /// <summary>One organization.</summary>
    public Task<OrganizationView> GetOrganizationAsync(string orgId) => Submit(e => e.GetOrganization(orgId));

    /// <summary>Every organization, oldest first (for administrators).</summary>
    public Task<IReadOnlyList<OrganizationView>> ListOrganizationsAsync() => Submit(e => e.ListOrganizations());

    /// <summary>Changes an organization.</summary>
    public Task<OrganizationView> UpdateOrganizationAsync(string orgId, OrganizationUpdate update) => Submit(e => e.UpdateOrganization(orgId, update));

    /// <summary>Deletes an organization and everything it holds; refused while it has active jobs or workers.</summary>
    public Task DeleteOrganizationAsync(string orgId) => Submit(e =>
    {
        e.DeleteOrganization(orgId);
        return true;
    });

    /// <summary>Mints an API key; the raw key is returned only here.</summary>
    public Task<NewApiKey> CreateApiKeyAsync(string orgId, string name, IReadOnlyList<string>? queues = null, int? rateLimit = null, DateTimeOffset? expiresAt = null) =>
        Submit(e => e.CreateApiKey(orgId, name, queues, rateLimit, expiresAt));

    /// <summary>The organization's keys, newest first, revoked ones included.</summary>
    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(string orgId) => Submit(e => e.ListApiKeys(orgId));

    /// <summary>One key.</summary>
    public Task<ApiKeyView> GetApiKeyAsync(string orgId, Guid keyId) => Submit(e => e.GetApiKey(orgId, keyId));

    /// <summary>Changes a key; <c>IsActive = false</c> revokes it, effective for the next request.</summary>
    public Task<ApiKeyView> UpdateApiKeyAsync(string orgId, Guid keyId, ApiKeyUpdate update) => Submit(e => e.UpdateApiKey(orgId, keyId, update));

    /// <summary>Revokes a key.</summary>
    public Task<ApiKeyView> RevokeApiKeyAsync(string orgId, Guid keyId) => Submit(e => e.UpdateApiKey(orgId, keyId, new ApiKeyUpdate { IsActive = false }));

    /// <summary>Runs due timers now (lease expiry, expiry, promotion); for tests driving a fake clock.</summary>
    public Task RunTimersAsync() => Submit(static _ => true);

    /// <summary>The state, for tests and tools that read it while the broker is idle.</summary>
    internal State.BrokerState State => _engine.State;

    /// <summary>Runs <paramref name="read"/> on the engine thread (safe while requests are in flight).</summary>
    internal Task<T> InspectAsync<T>(Func<State.BrokerState, T> read) => Submit(e => read(e.State));

    /// <summary>Cross-checks every index of the state on the engine thread; null when consistent.</summary>
    internal Task<string?> FindInconsistencyAsync() => Submit(static e => e.State.FindInconsistency());

    private static void ThrowIfRefused(AckResult item)
    {
        if (item.Error is { } code)
        {
            throw new BrokerException(code, item.Message ?? code.ToString());
        }
    }
}
