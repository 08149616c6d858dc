using System.Globalization;

namespace Spooled.Broker.Tests.Model;

/// <summary>
/// The reference model: what the broker should do, written as plainly as possible (lists scanned
/// in full, no heaps, no indexes) so that it is obviously right. Each operation returns the refusal
/// the broker must give, or null, and applies its effect. Ids and lease ids are the broker's to
/// choose, so the caller passes them in once it has the broker's answer.
/// </summary>
internal sealed class BrokerModel
{
    public const string LeaseExpiredError = "Lease expired (worker timeout)";
    public const string LeaseExpiredDeadLetterError = "Max retries exceeded after lease expiration";
    public const int DefaultMaxRetries = 3;

    public static readonly TimeSpan RetentionWindow = TimeSpan.FromHours(24);

    private long _nextSeq = 1;

    public BrokerModel(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; private set; }

    /// <summary>Every job ever created, in enqueue order (removed ones stay, marked gone).</summary>
    public List<ModelJob> Jobs { get; private set; } = [];

    /// <summary>Idempotency key → the job that holds it.</summary>
    public Dictionary<string, ModelJob> Keys { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Queues the broker knows: named by a created job or by a pause.</summary>
    public HashSet<string> Queues { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> Paused { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> Workers { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Every lease handed out, as the workers know them.</summary>
    public List<ModelClaim> Claims { get; private set; } = [];

    public BrokerModel Clone()
    {
        var copy = new BrokerModel(Now)
        {
            _nextSeq = _nextSeq,
            Jobs = Jobs.Select(j => j.Clone()).ToList(),
            Queues = new HashSet<string>(Queues, StringComparer.Ordinal),
            Paused = new HashSet<string>(Paused, StringComparer.Ordinal),
            Workers = new HashSet<string>(Workers, StringComparer.Ordinal),
            Claims = Claims.Select(c => c.Clone()).ToList(),
        };
        foreach (var (key, job) in Keys)
        {
            copy.Keys.Add(key, copy.Jobs.Single(j => j.N == job.N));
        }

        return copy;
    }

    /// <summary>The live job with this id, or null.</summary>
    public ModelJob? Find(Guid id) => id == Guid.Empty ? null : Jobs.FirstOrDefault(j => !j.Gone && j.Id == id);

    /// <summary>Jobs a claim on <paramref name="queue"/> could take now, in no particular order.</summary>
    public List<ModelJob> Ready(string queue) =>
        Jobs.Where(j => !j.Gone && j.Queue == queue && j.Status == JobStatus.Pending && (j.ScheduledAt is null || j.ScheduledAt <= Now)).ToList();

    public static TimeSpan Backoff(int retryCountBefore)
    {
        long seconds = 60;
        for (var i = 0; i < retryCountBefore && seconds < 3600; i++)
        {
            seconds *= 2;
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
    }

    public (ModelJob Job, bool Created) Enqueue(int n, string queue, int? priority, int? maxRetries, DateTimeOffset? scheduledAt, string? key, Guid id)
    {
        if (key is not null && Keys.TryGetValue(key, out var existing))
        {
            if (existing.Id == Guid.Empty)
            {
                existing.Id = id;
            }

            return (existing, false);
        }

        var job = new ModelJob
        {
            N = n,
            Id = id,
            Queue = queue,
            Seq = _nextSeq++,
            MaxRetries = maxRetries ?? DefaultMaxRetries,
            Key = key,
            CreatedAt = Now,
            Priority = priority ?? 0,
            Status = scheduledAt > Now ? JobStatus.Scheduled : JobStatus.Pending,
            ScheduledAt = scheduledAt,
            ScheduledAtEarliest = scheduledAt,
        };
        Jobs.Add(job);
        Queues.Add(queue);
        if (key is not null)
        {
            Keys.Add(key, job);
        }

        return (job, true);
    }

    /// <summary>Item by item: an invalid item fails alone; a known key (also one earlier in the batch) yields its job.</summary>
    public List<(int Index, ModelJob? Job, bool Created)> EnqueueBulk(string queue, IReadOnlyList<JobSpec> items, IReadOnlyList<int> payloadNumbers, Func<int, Guid> idOf)
    {
        var outcomes = new List<(int, ModelJob?, bool)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Priority is < -100 or > 100)
            {
                outcomes.Add((i, null, false));
                continue;
            }

            var (job, created) = Enqueue(payloadNumbers[i], queue, item.Priority, item.MaxRetries, item.ScheduledAt, item.IdempotencyKey, idOf(i));
            outcomes.Add((i, job, created));
        }

        return outcomes;
    }

    /// <summary>Ready jobs, highest priority first, then in enqueue order; each gets a lease of unknown id.</summary>
    public (BrokerErrorCode? Refusal, List<ModelJob> Jobs) Claim(string queue, string worker, int limit, int leaseSeconds)
    {
        if (limit is < 1 or > 100 || leaseSeconds is < 5 or > 3600)
        {
            return (BrokerErrorCode.Validation, []);
        }

        if (!Queues.Contains(queue) || Paused.Contains(queue))
        {
            return (null, []);
        }

        var taken = Ready(queue).OrderByDescending(j => j.Priority).ThenBy(j => j.Seq).Take(limit).ToList();
        foreach (var job in taken)
        {
            job.Status = JobStatus.Processing;
            job.StartedAt ??= Now;
            job.Worker = worker;
            job.LeaseId = Guid.Empty;
            job.LeaseExpiresAt = Now.AddSeconds(leaseSeconds);
        }

        return (null, taken);
    }

    /// <summary>Records what a worker heard from a claim: the job now runs under this lease.</summary>
    public void Granted(ModelJob job, Guid leaseId)
    {
        job.LeaseId = leaseId;
        Claims.Add(new ModelClaim { JobN = job.N, JobId = job.Id, Worker = job.Worker!, LeaseId = leaseId, ExpiresAt = job.LeaseExpiresAt });
    }

    /// <summary>Why <paramref name="worker"/> may not acknowledge the job, or null.</summary>
    private static BrokerErrorCode? Holder(ModelJob? job, Guid? leaseId, string worker)
    {
        if (job is null)
        {
            return BrokerErrorCode.NotFound;
        }

        var held = job.Status == JobStatus.Processing;
        if (leaseId is { } lease)
        {
            return held && job.LeaseId == lease && job.Worker == worker ? null : BrokerErrorCode.LeaseExpired;
        }

        return held && job.Worker == worker ? null : BrokerErrorCode.LeaseExpired;
    }

    /// <summary>An answer told the worker its lease is over (acknowledged, or refused as expired).</summary>
    private void EndClaim(Guid? leaseId, string worker)
    {
        foreach (var claim in Claims.Where(c => c.LeaseId == leaseId && c.Worker == worker))
        {
            claim.Active = false;
        }
    }

    public BrokerErrorCode? Complete(Guid id, string worker, Guid? leaseId, byte[]? result)
    {
        var job = Find(id);
        if (Holder(job, leaseId, worker) is { } refusal)
        {
            if (refusal == BrokerErrorCode.LeaseExpired)
            {
                EndClaim(leaseId, worker);
            }

            return refusal;
        }

        EndClaim(job!.LeaseId, worker);
        job.Status = JobStatus.Completed;
        job.FinishedAt = Now;
        job.Result = result;
        job.LeaseId = null;
        return null;
    }

    /// <summary>While <c>retry_count &lt; max_retries</c> back to pending after the backoff, else dead-lettered.</summary>
    public (BrokerErrorCode? Refusal, FailOutcome? Outcome) Fail(Guid id, string worker, Guid? leaseId, string error)
    {
        if (error.Length is 0 or > 2048)
        {
            return (BrokerErrorCode.Validation, null);
        }

        var job = Find(id);
        if (Holder(job, leaseId, worker) is { } refusal)
        {
            if (refusal == BrokerErrorCode.LeaseExpired)
            {
                EndClaim(leaseId, worker);
            }

            return (refusal, null);
        }

        EndClaim(job!.LeaseId, worker);
        var retry = job.RetryCount < job.MaxRetries;
        var retryAt = Now + Backoff(job.RetryCount);
        job.RetryCount++;
        job.LastError = error;
        job.LeaseId = null;
        if (retry)
        {
            job.Status = JobStatus.Pending;
            job.ScheduledAt = retryAt;
            job.ScheduledAtEarliest = retryAt;
        }
        else
        {
            job.Status = JobStatus.DeadLetter;
        }

        return (null, new FailOutcome(retry, job.RetryCount, retry ? retryAt : null));
    }

    public (BrokerErrorCode? Refusal, DateTimeOffset? Until) Heartbeat(Guid id, string worker, Guid? leaseId, int leaseSeconds)
    {
        if (leaseSeconds is < 5 or > 3600)
        {
            return (BrokerErrorCode.Validation, null);
        }

        var job = Find(id);
        if (Holder(job, leaseId, worker) is { } refusal)
        {
            if (refusal == BrokerErrorCode.LeaseExpired)
            {
                EndClaim(leaseId, worker);
            }

            return (refusal, null);
        }

        job!.LeaseExpiresAt = Now.AddSeconds(leaseSeconds);
        foreach (var claim in Claims.Where(c => c.LeaseId == job.LeaseId))
        {
            claim.ExpiresAt = job.LeaseExpiresAt;
        }

        return (null, job.LeaseExpiresAt);
    }

    public BrokerErrorCode? Cancel(Guid id)
    {
        var job = Find(id);
        if (job is null)
        {
            return BrokerErrorCode.NotFound;
        }

        if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
        {
            return BrokerErrorCode.Conflict;
        }

        job.Status = JobStatus.Cancelled;
        job.FinishedAt = Now;
        return null;
    }

    /// <summary>A retry (manual or from the dead-letter queue) starts over: pending now, no attempts counted.</summary>
    public BrokerErrorCode? Retry(Guid id)
    {
        var job = Find(id);
        if (job is null)
        {
            return BrokerErrorCode.NotFound;
        }

        if (job.Status is not (JobStatus.DeadLetter or JobStatus.Failed))
        {
            return BrokerErrorCode.Conflict;
        }

        StartOver(job);
        return null;
    }

    private static void StartOver(ModelJob job)
    {
        job.Status = JobStatus.Pending;
        job.RetryCount = 0;
        job.ScheduledAt = null;
        job.ScheduledAtEarliest = null;
        job.LastError = null;
        job.FinishedAt = null;
        job.Result = null;
        job.LeaseId = null;
    }

    public (BrokerErrorCode? Refusal, int OldPriority) SetPriority(Guid id, int priority)
    {
        var job = Find(id);
        if (job is null)
        {
            return (BrokerErrorCode.NotFound, 0);
        }

        if (priority is < -100 or > 100)
        {
            return (BrokerErrorCode.Validation, 0);
        }

        if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
        {
            return (BrokerErrorCode.Conflict, 0);
        }

        var old = job.Priority;
        job.Priority = priority;
        return (null, old);
    }

    /// <summary>The listed dead-lettered jobs (each once), else the oldest of a queue or of all, at most <paramref name="limit"/>.</summary>
    public List<ModelJob> RetryDeadLetter(IReadOnlyList<Guid>? ids, string? queue, int limit)
    {
        var chosen = new List<ModelJob>();
        if (ids is not null)
        {
            foreach (var id in ids)
            {
                if (Find(id) is { Status: JobStatus.DeadLetter } job && !chosen.Contains(job))
                {
                    chosen.Add(job);
                }
            }
        }
        else
        {
            foreach (var job in Jobs)
            {
                if (chosen.Count < limit && !job.Gone && job.Status == JobStatus.DeadLetter && (queue is null || job.Queue == queue))
                {
                    chosen.Add(job);
                }
            }
        }

        foreach (var job in chosen)
        {
            StartOver(job);
        }

        return chosen;
    }

    public int PurgeDeadLetter(string? queue)
    {
        var purged = Jobs.Where(j => !j.Gone && j.Status == JobStatus.DeadLetter && (queue is null || j.Queue == queue)).ToList();
        foreach (var job in purged)
        {
            Remove(job);
        }

        return purged.Count;
    }

    public void Pause(string queue)
    {
        Queues.Add(queue);
        Paused.Add(queue);
    }

    public BrokerErrorCode? Resume(string queue)
    {
        if (!Queues.Contains(queue))
        {
            return BrokerErrorCode.NotFound;
        }

        Paused.Remove(queue);
        return null;
    }

    public void RegisterWorker(string worker) => Workers.Add(worker);

    /// <summary>The worker's jobs go back to pending at once, without counting an attempt.</summary>
    public (BrokerErrorCode? Refusal, int Released) DeregisterWorker(string worker)
    {
        if (!Workers.Contains(worker))
        {
            return (BrokerErrorCode.NotFound, 0);
        }

        var held = Jobs.Where(j => !j.Gone && j.Status == JobStatus.Processing && j.Worker == worker).ToList();
        foreach (var job in held)
        {
            job.Status = JobStatus.Pending;
            job.ScheduledAt = null;
            job.ScheduledAtEarliest = null;
            job.LeaseId = null;
        }

        foreach (var claim in Claims.Where(c => c.Worker == worker))
        {
            claim.Active = false;
        }

        return (null, held.Count);
    }

    /// <summary>
    /// Moves the clock: expired leases count an attempt (redelivered at once, or dead-lettered when
    /// spent), scheduled jobs that came due become pending, finished jobs past retention go.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        Now += by;
        foreach (var job in Jobs.Where(j => !j.Gone && j.Status == JobStatus.Processing && j.LeaseExpiresAt <= Now))
        {
            var retry = job.RetryCount < job.MaxRetries;
            job.RetryCount++;
            job.LeaseId = null;
            if (retry)
            {
                job.Status = JobStatus.Pending;
                job.LastError = LeaseExpiredError;
                job.ScheduledAtEarliest = job.LeaseExpiresAt;
                job.ScheduledAt = Now;
            }
            else
            {
                job.Status = JobStatus.DeadLetter;
                job.LastError = LeaseExpiredDeadLetterError;
            }
        }

        foreach (var job in Jobs.Where(j => !j.Gone && j.Status == JobStatus.Scheduled && j.ScheduledAt <= Now))
        {
            job.Status = JobStatus.Pending;
        }

        foreach (var job in Jobs.Where(j => !j.Gone && j.Status is JobStatus.Completed or JobStatus.Cancelled && j.FinishedAt + RetentionWindow <= Now).ToList())
        {
            Remove(job);
        }

        foreach (var claim in Claims.Where(c => c.ExpiresAt <= Now))
        {
            claim.Active = false;
        }
    }

    private void Remove(ModelJob job)
    {
        job.Gone = true;
        if (job.Key is { } key && Keys.TryGetValue(key, out var owner) && ReferenceEquals(owner, job))
        {
            Keys.Remove(key);
        }
    }

    public JobCounts Counts()
    {
        long Count(JobStatus status) => Jobs.Count(j => !j.Gone && j.Status == status);
        return new JobCounts(
            Count(JobStatus.Pending),
            Count(JobStatus.Scheduled),
            Count(JobStatus.Processing),
            Count(JobStatus.Completed),
            Count(JobStatus.Failed),
            Count(JobStatus.DeadLetter),
            Count(JobStatus.Cancelled));
    }

    /// <summary>Every way the broker's state differs from the model's (empty when they agree).</summary>
    public List<string> Differences(ObservedState observed)
    {
        var differences = new List<string>();
        foreach (var n in observed.DuplicatePayloads)
        {
            differences.Add($"job {n}: stored more than once");
        }

        var expected = Jobs.Where(j => !j.Gone).ToList();
        foreach (var job in expected)
        {
            if (observed.ByPayload(job.N) is not { } view)
            {
                differences.Add($"{job}: missing (model: {job.Status.ToWire()})");
                continue;
            }

            CompareJob(job, view, differences);
        }

        foreach (var view in observed.Jobs)
        {
            var n = ObservedState.PayloadNumber(view.Payload);
            if (!expected.Any(j => j.N == n))
            {
                differences.Add($"job {n} ({view.Id}): present as {view.Status.ToWire()}, but the model has none");
            }
        }

        if (Counts() != observed.Counts)
        {
            differences.Add($"counts: broker {observed.Counts}, model {Counts()}");
        }

        var queues = observed.Queues.Select(q => q.QueueName).Order(StringComparer.Ordinal).ToList();
        var modelQueues = Queues.Order(StringComparer.Ordinal).ToList();
        if (!queues.SequenceEqual(modelQueues))
        {
            differences.Add($"queues: broker [{string.Join(", ", queues)}], model [{string.Join(", ", modelQueues)}]");
        }

        foreach (var queue in observed.Queues)
        {
            if (queue.Enabled == Paused.Contains(queue.QueueName))
            {
                differences.Add($"queue {queue.QueueName}: broker enabled={queue.Enabled}, model paused={Paused.Contains(queue.QueueName)}");
            }
        }

        return differences;
    }

    private static void CompareJob(ModelJob job, JobView view, List<string> differences)
    {
        void Expect<T>(string field, T broker, T model)
        {
            if (!EqualityComparer<T>.Default.Equals(broker, model))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{job}: {field} is {Show(broker)}, model {Show(model)}"));
            }
        }

        if (job.Id != Guid.Empty)
        {
            Expect("id", view.Id, job.Id);
        }

        Expect("queue", view.QueueName, job.Queue);
        Expect("status", view.Status, job.Status);
        Expect("retry_count", view.RetryCount, job.RetryCount);
        Expect("priority", view.Priority, job.Priority);
        Expect("max_retries", view.MaxRetries, job.MaxRetries);
        Expect("last_error", view.LastError, job.LastError);
        Expect("idempotency_key", view.IdempotencyKey, job.Key);
        if (job.ScheduledAt == job.ScheduledAtEarliest)
        {
            Expect("scheduled_at", view.ScheduledAt, job.ScheduledAt);
        }
        else if (view.ScheduledAt is not { } at || at < job.ScheduledAtEarliest || at > job.ScheduledAt)
        {
            differences.Add($"{job}: scheduled_at is {Show(view.ScheduledAt)}, model between {Show(job.ScheduledAtEarliest)} and {Show(job.ScheduledAt)}");
        }

        if (job.Status == JobStatus.Processing)
        {
            Expect("assigned worker", view.AssignedWorkerId, job.Worker);
            Expect("lease_expires_at", view.LeaseExpiresAt, job.LeaseExpiresAt);
            if (job.LeaseId != Guid.Empty)
            {
                Expect("lease_id", view.LeaseId, job.LeaseId);
            }
        }
        else
        {
            Expect("lease_id", view.LeaseId, null);
        }

        Expect("created_at", view.CreatedAt, job.CreatedAt);
        Expect("started_at", view.StartedAt, job.StartedAt);
        Expect("completed_at", view.CompletedAt, job.FinishedAt);

        if (job.Status == JobStatus.Completed)
        {
            Expect("result", view.Result is null ? null : Convert.ToHexString(view.Result), job.Result is null ? null : Convert.ToHexString(job.Result));
        }
    }

    /// <summary>Takes the ids and lease ids the model could not know (answers lost in a crash) from the broker.</summary>
    public void Adopt(ObservedState observed)
    {
        foreach (var job in Jobs.Where(j => !j.Gone))
        {
            if (observed.ByPayload(job.N) is not { } view)
            {
                continue;
            }

            if (job.Id == Guid.Empty)
            {
                job.Id = view.Id;
            }

            if (job.LeaseId == Guid.Empty)
            {
                job.LeaseId = view.LeaseId;
            }
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        string text => "\"" + text + "\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}
