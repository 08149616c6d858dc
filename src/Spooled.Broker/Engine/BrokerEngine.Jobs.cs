using System.Globalization;
using Spooled.Broker.Records;
using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <content>The job lifecycle: enqueue, claim, acknowledge, and the operator's changes.</content>
internal sealed partial class BrokerEngine
{
    public const int MaxBulkItems = 100;
    public const int MaxClaim = 100;
    public const int MaxErrorLength = 2048;
    public const int MaxIdempotencyKeyLength = 255;
    public const int MaxClaimWaitSeconds = 30;

    private readonly List<byte[]> _payloads = [];

    /// <summary>The accepted items of the bulk enqueue being decided (reused: one list, not one per request).</summary>
    private readonly List<BrokerState.NewJob> _accepted = [];

    /// <summary>Commits an enqueue record, letting apply keep the callers' payload arrays instead of copying them.</summary>
    private void CommitEnqueue(int start)
    {
        State.PayloadHints = _payloads;
        try
        {
            Commit(start);
        }
        finally
        {
            State.PayloadHints = null;
            _payloads.Clear();
        }
    }

    /// <summary>Jobs already accepted in the acknowledgement batch being decided (a job listed twice is refused the second time).</summary>
    private readonly HashSet<Guid> _acked = [];

    // Scratch space of the request being decided, reused rather than allocated per request (cleared
    // after use so that it holds no job or result alive).
    private readonly BrokerState.Claim[] _claims = new BrokerState.Claim[MaxClaim];
    private readonly Job[] _claimedJobs = new Job[MaxClaim];
    private readonly Job[] _ackedJobs = new Job[MaxBulkItems];
    private readonly List<Guid> _ackIds = new(MaxBulkItems);
    private readonly List<byte[]?> _ackOutputs = new(MaxBulkItems);
    private readonly List<BrokerState.Failure> _failures = new(MaxBulkItems);

    /// <summary>Whether a claim on this queue would find a job now (the queue exists, runs and has ready jobs).</summary>
    public bool HasClaimable(string orgId, string queueName) =>
        State.Orgs.TryGetValue(orgId, out var org) && org.Queues.TryGetValue(queueName, out var queue) && !queue.Paused && queue.Ready.Count > 0;

    public EnqueueResult Enqueue(string orgId, JobSpec spec)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", spec.QueueName);
        var queue = check.Failed ? null : org.Queues.GetValueOrDefault(spec.QueueName!);
        var job = Prepare(org, queue, spec, null, null, null, check);
        check.ThrowIfFailed();
        if (job.IdempotencyKey is { } key && org.Idempotency.TryGetValue(key, out var existing))
        {
            return new EnqueueResult(existing.Id, false);
        }

        var start = Start();
        BrokerState.WriteJobsEnqueued(_buffer, _now, org.Id, spec.QueueName!, [job]);
        _payloads.Clear();
        _payloads.Add(job.Payload);
        CommitEnqueue(start);
        return new EnqueueResult(job.Id, true);
    }

    public BulkEnqueueResult EnqueueBulk(string orgId, BulkEnqueueRequest request)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", request.QueueName);
        if (request.Jobs is not { Count: > 0 and <= MaxBulkItems })
        {
            check.Add("jobs", "jobs must hold 1-100 items", "length");
        }

        check.Range("default_priority", request.DefaultPriority, -100, 100, "Priority");
        check.Range("default_max_retries", request.DefaultMaxRetries, 0, 100, "max_retries");
        check.Range("default_timeout_seconds", request.DefaultTimeoutSeconds, 1, 86_400, "timeout_seconds");
        check.ThrowIfFailed();

        var queue = org.Queues.GetValueOrDefault(request.QueueName);
        var succeeded = new List<BulkItemResult>(request.Jobs.Count);
        var failed = new List<BulkItemResult>();
        var accepted = _accepted;
        accepted.Clear();
        Dictionary<string, Guid>? keysInBatch = null;
        var bytes = 0L;
        var itemCheck = new Validation();
        for (var i = 0; i < request.Jobs.Count; i++)
        {
            itemCheck.Reset(i);
            var job = Prepare(org, queue, request.Jobs[i], request.DefaultPriority, request.DefaultMaxRetries, request.DefaultTimeoutSeconds, itemCheck);
            if (itemCheck.Failed)
            {
                failed.Add(new BulkItemResult(i, null, false, itemCheck.Describe()));
                continue;
            }

            if (job.IdempotencyKey is { } key)
            {
                if (org.Idempotency.TryGetValue(key, out var existing))
                {
                    succeeded.Add(new BulkItemResult(i, existing.Id, false, null));
                    continue;
                }

                keysInBatch ??= new(StringComparer.Ordinal);
                if (keysInBatch.TryGetValue(key, out var earlier))
                {
                    succeeded.Add(new BulkItemResult(i, earlier, false, null));
                    continue;
                }

                keysInBatch.Add(key, job.Id);
            }

            bytes += job.Payload.Length + (job.Tags?.Length ?? 0) + 128;
            accepted.Add(job);
            succeeded.Add(new BulkItemResult(i, job.Id, true, null));
        }

        if (bytes > BrokerOptions.MaxRecordBytes - 4096)
        {
            throw Validation.TooLarge("jobs", (int)Math.Min(bytes, int.MaxValue), BrokerOptions.MaxRecordBytes - 4096);
        }

        if (accepted.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobsEnqueued(_buffer, _now, org.Id, request.QueueName, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(accepted));
            _payloads.Clear();
            foreach (var job in accepted)
            {
                _payloads.Add(job.Payload);
            }

            CommitEnqueue(start);
        }

        return new BulkEnqueueResult(succeeded, failed);
    }

    /// <summary>Validates one job and fills its defaults (the item's, then the request's, the queue's, the broker's).</summary>
    private BrokerState.NewJob Prepare(OrgState org, QueueState? queue, JobSpec spec, int? defaultPriority, int? defaultMaxRetries, int? defaultTimeout, Validation check)
    {
        if (spec.Payload is null)
        {
            check.Add("payload", "payload is required", "required");
        }
        else if (spec.Payload.Length > Validation.MaxPayloadBytes)
        {
            if (check.Item < 0)
            {
                throw Validation.TooLarge("payload", spec.Payload.Length, Validation.MaxPayloadBytes);
            }

            check.Add("payload", "payload exceeds 1 MiB", "size");
        }

        check.Range("priority", spec.Priority, -100, 100, "Priority");
        check.Range("max_retries", spec.MaxRetries, 0, 100, "max_retries");
        check.Range("timeout_seconds", spec.TimeoutSeconds, 1, 86_400, "timeout_seconds");
        if (spec.Tags is { Length: > Validation.MaxTagsBytes })
        {
            check.Add("tags", "tags exceed 64 KiB", "size");
        }

        if (spec.IdempotencyKey is { } key && (key.Length is 0 or > MaxIdempotencyKeyLength))
        {
            check.Add("idempotency_key", "idempotency_key must be 1-255 characters", "length");
        }

        if (spec.ExpiresAt is { } expires && expires.UtcTicks <= _now)
        {
            check.Add("expires_at", "expires_at must be in the future", "range");
        }

        if (spec.ScheduledAt is { } scheduled && (scheduled.UtcTicks <= 0 || scheduled.Year > 9000))
        {
            check.Add("scheduled_at", "scheduled_at is out of range", "range");
        }

        if (spec.CompletionWebhook is { } hook && !Uri.TryCreate(hook, UriKind.Absolute, out var uri) | (uri is not null && uri.Scheme is not ("http" or "https")))
        {
            check.Add("completion_webhook", "completion_webhook must be an absolute http(s) URL", "url");
        }

        if (spec.ParentJobId is { } parent && (!State.Jobs.TryGetValue(parent, out var parentJob) || !ReferenceEquals(parentJob.Queue.Org, org)))
        {
            check.Add("parent_job_id", "parent_job_id does not name a job of this organization", "not_found");
        }

        return new BrokerState.NewJob(
            _ids.Next(),
            (short)(spec.Priority ?? defaultPriority ?? 0),
            (short)(spec.MaxRetries ?? defaultMaxRetries ?? queue?.MaxRetries ?? _options.DefaultMaxRetries),
            spec.TimeoutSeconds ?? defaultTimeout ?? queue?.DefaultTimeout ?? _options.DefaultTimeoutSeconds,
            spec.ScheduledAt?.UtcTicks ?? 0,
            spec.ExpiresAt?.UtcTicks ?? 0,
            spec.Payload ?? [],
            spec.Tags,
            spec.IdempotencyKey,
            spec.CompletionWebhook,
            spec.ParentJobId ?? Guid.Empty);
    }

    /// <summary>
    /// Takes up to <see cref="ClaimRequest.Limit"/> ready jobs, highest priority first and FIFO
    /// within a priority. A paused or unknown queue yields nothing. Each job gets a fresh lease id.
    /// </summary>
    public IReadOnlyList<ClaimedJob> Claim(string orgId, ClaimRequest request)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", request.QueueName);
        check.Text("worker_id", request.WorkerId, 1, 255, required: true);
        check.Range("limit", request.Limit, 1, MaxClaim, "limit");
        check.Range("lease_duration_secs", request.LeaseSeconds, 5, 3600, "lease_duration_secs");
        check.Range("wait_secs", request.WaitSeconds, 0, MaxClaimWaitSeconds, "wait_secs");
        check.ThrowIfFailed();
        if (!org.Queues.TryGetValue(request.QueueName, out var queue) || queue.Paused || queue.Ready.Count == 0)
        {
            return [];
        }

        var count = Math.Min(request.Limit, queue.Ready.Count);
        var claims = _claims.AsSpan(0, count);
        var jobs = _claimedJobs.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            jobs[i] = queue.Ready.Pop();
            claims[i] = new BrokerState.Claim(jobs[i].Id, _ids.Next());
        }

        var leaseExpiresAt = _now + (request.LeaseSeconds * TimeSpan.TicksPerSecond);
        var start = Start();
        BrokerState.WriteJobsClaimed(_buffer, _now, request.WorkerId, leaseExpiresAt, claims);
        Commit(start, _claimedJobs, count);

        var result = new ClaimedJob[count];
        for (var i = 0; i < count; i++)
        {
            var job = jobs[i];
            result[i] = new ClaimedJob(job.Id, queue.Name, job.Payload, job.Priority, job.RetryCount, job.MaxRetries, job.TimeoutSeconds, claims[i].LeaseId, ToTime(leaseExpiresAt));
        }

        jobs.Clear();
        return result;
    }

    /// <summary>
    /// Completes each job whose holder checks out; the rest get an error each. All accepted
    /// completions are one record.
    /// </summary>
    public AckResult[] Complete(string orgId, string workerId, IReadOnlyList<JobAck> acks)
    {
        var org = Org(orgId);
        CheckAcks(workerId, acks, failing: false);
        _acked.Clear();
        var results = new AckResult[acks.Count];
        var ids = _ackIds;
        var outputs = _ackOutputs;
        ids.Clear();
        outputs.Clear();
        for (var i = 0; i < acks.Count; i++)
        {
            var ack = acks[i];
            if (Holder(org, ack, workerId, _acked, out var job) is { } refusal)
            {
                results[i] = new AckResult(i, ack.JobId, refusal.Code, refusal.Message, false, 0);
                continue;
            }

            if (ack.Result is { Length: > Validation.MaxPayloadBytes })
            {
                results[i] = new AckResult(i, ack.JobId, BrokerErrorCode.PayloadTooLarge, "result exceeds 1 MiB", false, 0);
                continue;
            }

            _ackedJobs[ids.Count] = job!;
            ids.Add(ack.JobId);
            _acked.Add(ack.JobId);
            outputs.Add(ack.Result);
            results[i] = new AckResult(i, ack.JobId, null, null, false, job!.RetryCount);
        }

        if (ids.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobsCompleted(_buffer, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(outputs));
            Commit(start, _ackedJobs, ids.Count);
            _ackedJobs.AsSpan(0, ids.Count).Clear(); // Holds no job past its record.
        }

        outputs.Clear();
        return results;
    }

    /// <summary>
    /// Fails each job whose holder checks out: back to pending after the queue's backoff while
    /// <c>retry_count &lt; max_retries</c> (counted before this failure), else to the dead-letter queue.
    /// </summary>
    public AckResult[] Fail(string orgId, string workerId, IReadOnlyList<JobAck> acks)
    {
        var org = Org(orgId);
        CheckAcks(workerId, acks, failing: true);
        _acked.Clear();
        var results = new AckResult[acks.Count];
        var failures = _failures;
        failures.Clear();
        for (var i = 0; i < acks.Count; i++)
        {
            var ack = acks[i];
            if (Holder(org, ack, workerId, _acked, out var held) is { } refusal)
            {
                results[i] = new AckResult(i, ack.JobId, refusal.Code, refusal.Message, false, 0);
                continue;
            }

            var job = held!;
            var retry = job.RetryCount < job.MaxRetries;
            var retryAt = retry ? _now + Backoff(job.Queue, job.RetryCount) : 0;
            _acked.Add(ack.JobId);
            _ackedJobs[failures.Count] = job;
            failures.Add(new BrokerState.Failure(ack.JobId, ack.Error!, retryAt));
            results[i] = new AckResult(i, ack.JobId, null, null, retry, job.RetryCount + 1, retry ? ToTime(retryAt) : null);
        }

        if (failures.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobsFailed(_buffer, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(failures));
            Commit(start, _ackedJobs, failures.Count);
            _ackedJobs.AsSpan(0, failures.Count).Clear();
        }

        failures.Clear();

        return results;
    }

    private static void CheckAcks(string workerId, IReadOnlyList<JobAck> acks, bool failing)
    {
        var check = new Validation();
        check.Text("worker_id", workerId, 1, 255, required: true);
        if (acks is not { Count: > 0 and <= MaxBulkItems })
        {
            check.Add("jobs", "jobs must hold 1-100 items", "length");
        }
        else if (failing)
        {
            for (var i = 0; i < acks.Count; i++)
            {
                if (acks[i].Error is not { Length: > 0 and <= MaxErrorLength })
                {
                    check.Add(acks.Count == 1 ? "error" : string.Create(CultureInfo.InvariantCulture, $"jobs[{i}].error"), "error must be 1-2048 characters", "length");
                }
            }
        }

        check.ThrowIfFailed();
    }

    /// <summary>
    /// Why the worker may not acknowledge the job, or null when it may. With a lease id, the lease
    /// must be the job's current one; without one, the job must be processing and assigned to this
    /// worker. Either way a refusal means "you no longer hold this job": <c>LeaseExpired</c>.
    /// </summary>
    /// <remarks>The job found, when it is found, is in <paramref name="job"/>.</remarks>
    private BrokerException? Holder(OrgState org, JobAck ack, string workerId, HashSet<Guid>? alreadyAcked, out Job? job)
    {
        if (!State.Jobs.TryGetValue(ack.JobId, out job) || !ReferenceEquals(job.Queue.Org, org))
        {
            return BrokerException.NotFound("Job");
        }

        var held = job.Status == JobStatus.Processing && alreadyAcked?.Contains(job.Id) != true;
        if (ack.LeaseId is { } lease)
        {
            return held && job.Details!.LeaseId == lease && job.Details.WorkerId == workerId
                ? null
                : new BrokerException(BrokerErrorCode.LeaseExpired, "The job's lease has expired or belongs to another claim");
        }

        if (!held)
        {
            return new BrokerException(BrokerErrorCode.LeaseExpired, "The worker no longer holds the job (it is not processing)");
        }

        return job.Details!.WorkerId == workerId ? null : new BrokerException(BrokerErrorCode.LeaseExpired, "The job is held by another worker");
    }

    /// <summary>Retry delay: base × 2^attempt, capped, optionally jittered to between half and all of it.</summary>
    private long Backoff(QueueState queue, int retryCount)
    {
        var seconds = (double)queue.BackoffBaseSeconds * Math.Pow(2, Math.Min(retryCount, 40));
        seconds = Math.Min(seconds, queue.BackoffMaxSeconds);
        if (queue.BackoffJitter)
        {
            seconds = (seconds / 2) + (Random.Shared.NextDouble() * seconds / 2);
        }

        return (long)(seconds * TimeSpan.TicksPerSecond);
    }

    public DateTimeOffset Heartbeat(string orgId, Guid jobId, string workerId, Guid? leaseId, int leaseSeconds)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Text("worker_id", workerId, 1, 255, required: true);
        check.Range("lease_duration_secs", leaseSeconds, 5, 3600, "lease_duration_secs");
        check.ThrowIfFailed();
        if (Holder(org, new JobAck { JobId = jobId, LeaseId = leaseId }, workerId, null, out _) is { } refusal)
        {
            throw refusal;
        }

        var until = _now + (leaseSeconds * TimeSpan.TicksPerSecond);
        var start = Start();
        BrokerState.WriteLeaseExtended(_buffer, _now, jobId, until);
        Commit(start);
        return ToTime(until);
    }

    public void Progress(string orgId, Guid jobId, string workerId, Guid? leaseId, byte[] progress)
    {
        var org = Org(orgId);
        if (progress.Length > Validation.MaxTagsBytes)
        {
            throw Validation.TooLarge("progress", progress.Length, Validation.MaxTagsBytes);
        }

        if (Holder(org, new JobAck { JobId = jobId, LeaseId = leaseId }, workerId, null, out _) is { } refusal)
        {
            throw refusal;
        }

        var start = Start();
        BrokerState.WriteJobProgress(_buffer, _now, jobId, progress);
        Commit(start);
    }

    public void Cancel(string orgId, Guid jobId)
    {
        var job = JobOf(Org(orgId), jobId);
        if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
        {
            throw BrokerException.Conflict("Job cannot be cancelled (not in pending or scheduled state)");
        }

        var start = Start();
        BrokerState.WriteJobCancelled(_buffer, _now, jobId);
        Commit(start);
    }

    public JobView Retry(string orgId, Guid jobId)
    {
        var job = JobOf(Org(orgId), jobId);
        if (job.Status is not (JobStatus.Failed or JobStatus.DeadLetter))
        {
            throw BrokerException.Conflict("Job can only be retried from failed or deadletter");
        }

        var start = Start();
        BrokerState.WriteJobIds(_buffer, RecordType.JobsRetried, _now, [jobId]);
        Commit(start);
        return View(job);
    }

    public PriorityChange SetPriority(string orgId, Guid jobId, int priority)
    {
        var job = JobOf(Org(orgId), jobId);
        var check = new Validation();
        check.Range("priority", priority, -100, 100, "Priority");
        check.ThrowIfFailed();
        if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
        {
            throw BrokerException.Conflict("Priority can only change while the job is pending or scheduled");
        }

        var old = job.Priority;
        var start = Start();
        BrokerState.WritePriorityChanged(_buffer, _now, jobId, (short)priority);
        Commit(start);
        return new PriorityChange(jobId, old, priority);
    }

    public IReadOnlyList<Guid> RetryDeadLetter(string orgId, DeadLetterRetry request)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Range("limit", request.Limit, 1, 100, "limit");
        if (request.QueueName is not null)
        {
            check.QueueName("queue_name", request.QueueName);
        }

        check.ThrowIfFailed();
        var ids = new List<Guid>();
        if (request.JobIds is { } jobIds)
        {
            foreach (var id in jobIds)
            {
                if (State.Jobs.TryGetValue(id, out var job) && ReferenceEquals(job.Queue.Org, org) && job.Status == JobStatus.DeadLetter && !ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }
        else
        {
            for (var i = 0; i < org.Jobs.Count && ids.Count < request.Limit; i++)
            {
                if (org.Jobs[i] is { Status: JobStatus.DeadLetter } job && (request.QueueName is null || job.Queue.Name == request.QueueName))
                {
                    ids.Add(job.Id);
                }
            }
        }

        if (ids.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobIds(_buffer, RecordType.JobsRetried, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids));
            Commit(start);
        }

        return ids;
    }

    public int PurgeDeadLetter(string orgId, DeadLetterPurge request)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Range("limit", request.Limit, 1, 10_000, "limit");
        if (request.QueueName is not null)
        {
            check.QueueName("queue_name", request.QueueName);
        }

        check.ThrowIfFailed();
        var olderThan = request.OlderThan?.UtcTicks ?? long.MaxValue;
        var ids = new List<Guid>();
        HashSet<Guid>? only = request.JobIds is null ? null : [.. request.JobIds];
        for (var i = 0; i < org.Jobs.Count && ids.Count < request.Limit; i++)
        {
            if (org.Jobs[i] is { Status: JobStatus.DeadLetter } job
                && (request.QueueName is null || job.Queue.Name == request.QueueName)
                && job.CreatedAt < olderThan
                && (only is null || only.Contains(job.Id)))
            {
                ids.Add(job.Id);
            }
        }

        if (ids.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobIds(_buffer, RecordType.JobsPurged, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids));
            Commit(start);
        }

        return ids.Count;
    }
}
