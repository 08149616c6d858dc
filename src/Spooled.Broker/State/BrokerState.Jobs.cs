using System.Text.Json;
using Spooled.Broker.Records;

namespace Spooled.Broker.State;

/// <content>Job records: how each is written and what applying it does.</content>
internal sealed partial class BrokerState
{
    public const string LeaseExpiredError = "Lease expired (worker timeout)";
    public const string LeaseExpiredDeadLetterError = "Max retries exceeded after lease expiration";

    [Flags]
    private enum EnqueueFlags : byte
    {
        None = 0,
        Tags = 1,
        IdempotencyKey = 2,
        CompletionWebhook = 4,
        Parent = 8,
    }

    /// <summary>One job of a <see cref="RecordType.JobsEnqueued"/> record, fully defaulted and validated.</summary>
    internal readonly record struct NewJob(
        Guid Id,
        short Priority,
        short MaxRetries,
        int TimeoutSeconds,
        long ScheduledAt,
        long ExpiresAt,
        byte[] Payload,
        byte[]? Tags,
        string? IdempotencyKey,
        string? CompletionWebhook,
        Guid ParentJobId);

    /// <summary>
    /// Set by the live engine around applying its own enqueue record: the payload arrays it was
    /// given, in item order. Apply uses an array only if its bytes equal the record's, so state
    /// still follows from the record alone.
    /// </summary>
    public IReadOnlyList<byte[]>? PayloadHints { get; set; }

    public static void WriteJobsEnqueued(RecordBuffer buffer, long time, string orgId, string queue, ReadOnlySpan<NewJob> jobs)
    {
        Begin(buffer, RecordType.JobsEnqueued, time);
        buffer.WriteString(orgId);
        buffer.WriteString(queue);
        buffer.WriteInt32(jobs.Length);
        foreach (ref readonly var job in jobs)
        {
            var flags = EnqueueFlags.None;
            flags |= job.Tags is null ? 0 : EnqueueFlags.Tags;
            flags |= job.IdempotencyKey is null ? 0 : EnqueueFlags.IdempotencyKey;
            flags |= job.CompletionWebhook is null ? 0 : EnqueueFlags.CompletionWebhook;
            flags |= job.ParentJobId == Guid.Empty ? 0 : EnqueueFlags.Parent;
            buffer.WriteGuid(job.Id);
            buffer.WriteInt16(job.Priority);
            buffer.WriteInt16(job.MaxRetries);
            buffer.WriteInt32(job.TimeoutSeconds);
            buffer.WriteInt64(job.ScheduledAt);
            buffer.WriteInt64(job.ExpiresAt);
            buffer.WriteByte((byte)flags);
            buffer.WriteBytes(job.Payload);
            if (job.Tags is not null)
            {
                buffer.WriteBytes(job.Tags);
            }

            if (job.IdempotencyKey is not null)
            {
                buffer.WriteString(job.IdempotencyKey);
            }

            if (job.CompletionWebhook is not null)
            {
                buffer.WriteString(job.CompletionWebhook);
            }

            if (job.ParentJobId != Guid.Empty)
            {
                buffer.WriteGuid(job.ParentJobId);
            }
        }
    }

    private void ApplyJobsEnqueued(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var queue = GetOrAddQueue(org, reader.ReadRequiredString(), time);
        var count = reader.ReadCount(45);
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadGuid();
            var priority = reader.ReadInt16();
            var maxRetries = reader.ReadInt16();
            var timeout = reader.ReadInt32();
            var scheduledAt = reader.ReadInt64();
            var expiresAt = reader.ReadInt64();
            var flags = (EnqueueFlags)reader.ReadByte();
            var payloadBytes = reader.ReadBytesSpan(out var noPayload);
            if (noPayload)
            {
                throw new BrokerRecordException("a job has no payload");
            }

            // The live engine offers the caller's arrays: the same bytes need no second copy.
            var payload = PayloadHints is { } hints && i < hints.Count && hints[i].AsSpan().SequenceEqual(payloadBytes)
                ? hints[i]
                : HeldBytes.Copy(payloadBytes);
            var job = new Job(id, NextSeq++, queue, payload)
            {
                Priority = priority,
                MaxRetries = maxRetries,
                TimeoutSeconds = timeout,
                ScheduledAt = scheduledAt,
                CreatedAt = time,
                UpdatedAt = time,
                Status = scheduledAt > time ? JobStatus.Scheduled : JobStatus.Pending,
            };
            if ((flags & EnqueueFlags.Tags) != 0)
            {
                var details = job.EnsureDetails();
                details.Tags = reader.ReadBytes();
                details.TagNames = TagNamesOf(details.Tags);
            }

            if ((flags & EnqueueFlags.IdempotencyKey) != 0)
            {
                job.EnsureDetails().IdempotencyKey = reader.ReadRequiredString();
            }

            if ((flags & EnqueueFlags.CompletionWebhook) != 0)
            {
                job.EnsureDetails().CompletionWebhook = reader.ReadRequiredString();
            }

            if ((flags & EnqueueFlags.Parent) != 0)
            {
                job.EnsureDetails().ParentJobId = reader.ReadGuid();
            }

            if (expiresAt != 0)
            {
                job.EnsureDetails().ExpiresAt = expiresAt;
            }

            if (!Jobs.TryAdd(id, job))
            {
                throw new BrokerRecordException($"job {id} is enqueued twice");
            }

            if (job.Details?.IdempotencyKey is { } key && !org.Idempotency.TryAdd(key, job))
            {
                throw new BrokerRecordException($"idempotency key '{key}' is taken twice");
            }

            org.Jobs.Add(job);
            Count(job, +1);
            if (Events is { } events)
            {
                events.Created(job, time);
                events.StatusChanged(job, null, job.Status, time);
            }

            Place(job);
            if (expiresAt != 0)
            {
                Expiries.Add(job, expiresAt);
            }
        }
    }

    /// <summary>One claimed job: the job and the lease it is given.</summary>
    internal readonly record struct Claim(Guid JobId, Guid LeaseId);

    public static void WriteJobsClaimed(RecordBuffer buffer, long time, string workerId, long leaseExpiresAt, ReadOnlySpan<Claim> claims)
    {
        Begin(buffer, RecordType.JobsClaimed, time);
        buffer.WriteString(workerId);
        buffer.WriteInt64(leaseExpiresAt);
        buffer.WriteInt32(claims.Length);
        foreach (ref readonly var claim in claims)
        {
            buffer.WriteGuid(claim.JobId);
            buffer.WriteGuid(claim.LeaseId);
        }
    }

    private void ApplyJobsClaimed(ref RecordReader reader, long time)
    {
        var worker = reader.ReadRequiredString();
        var leaseExpiresAt = reader.ReadInt64();
        var count = reader.ReadCount(32);
        for (var i = 0; i < count; i++)
        {
            var job = FindJob(i, reader.ReadGuid());
            var leaseId = reader.ReadGuid();
            if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
            {
                throw new BrokerRecordException($"job {job.Id} is claimed while {job.Status.ToWire()}");
            }

            Unplace(job);
            SetStatus(job, JobStatus.Processing);
            var details = job.EnsureDetails();
            details.WorkerId = worker;
            details.LeaseId = leaseId;
            details.LeaseExpiresAt = leaseExpiresAt;
            details.AttemptStartedAt = time;
            if (details.StartedAt == 0)
            {
                details.StartedAt = time;
            }

            job.UpdatedAt = time;
            Timers.Add(job, leaseExpiresAt);
        }
    }

    public static void WriteJobsCompleted(RecordBuffer buffer, long time, ReadOnlySpan<Guid> jobs, ReadOnlySpan<byte[]?> results)
    {
        Begin(buffer, RecordType.JobsCompleted, time);
        buffer.WriteInt32(jobs.Length);
        for (var i = 0; i < jobs.Length; i++)
        {
            buffer.WriteGuid(jobs[i]);
            buffer.WriteNullableBytes(results[i]);
        }
    }

    private void ApplyJobsCompleted(ref RecordReader reader, long time)
    {
        var count = reader.ReadCount(20);
        for (var i = 0; i < count; i++)
        {
            var job = RequireProcessing(i, reader.ReadGuid());
            var result = reader.ReadBytes();
            Unplace(job);
            SetStatus(job, JobStatus.Completed);
            var details = job.Details!;
            details.Result = result;
            details.CompletedAt = time;
            ClearLease(job);
            job.UpdatedAt = time;
            job.Queue.Stats.RecordCompleted(time, time - details.AttemptStartedAt);
            Events?.Completed(job, time - details.AttemptStartedAt, time);
            Finish(job);
        }
    }

    /// <summary>One failure: the error, and when to retry (0 = dead-letter), decided by the engine.</summary>
    internal readonly record struct Failure(Guid JobId, string Error, long RetryAt);

    public static void WriteJobsFailed(RecordBuffer buffer, long time, ReadOnlySpan<Failure> failures)
    {
        Begin(buffer, RecordType.JobsFailed, time);
        buffer.WriteInt32(failures.Length);
        foreach (ref readonly var failure in failures)
        {
            buffer.WriteGuid(failure.JobId);
            buffer.WriteString(failure.Error);
            buffer.WriteInt64(failure.RetryAt);
        }
    }

    private void ApplyJobsFailed(ref RecordReader reader, long time)
    {
        var count = reader.ReadCount(28);
        for (var i = 0; i < count; i++)
        {
            var job = RequireProcessing(i, reader.ReadGuid());
            var error = reader.ReadRequiredString();
            var retryAt = reader.ReadInt64();
            FailAttempt(job, error, retryAt, time);
        }
    }

    private void FailAttempt(Job job, string error, long retryAt, long time)
    {
        Unplace(job);
        job.RetryCount++;
        var details = job.Details!;
        details.LastError = error;
        ClearLease(job);
        job.UpdatedAt = time;
        job.Queue.Stats.RecordFailed(time);
        Events?.Failed(job, error, retryAt != 0, time);
        if (retryAt != 0)
        {
            SetStatus(job, JobStatus.Pending);
            job.ScheduledAt = retryAt;
            Place(job);
        }
        else
        {
            SetStatus(job, JobStatus.DeadLetter);
        }
    }

    public static void WriteLeaseExtended(RecordBuffer buffer, long time, Guid jobId, long leaseExpiresAt)
    {
        Begin(buffer, RecordType.LeaseExtended, time);
        buffer.WriteGuid(jobId);
        buffer.WriteInt64(leaseExpiresAt);
    }

    private void ApplyLeaseExtended(ref RecordReader reader, long time)
    {
        var job = RequireProcessing(reader.ReadGuid());
        var until = reader.ReadInt64();
        job.Details!.LeaseExpiresAt = until;
        job.UpdatedAt = time;
        if (job.Place == JobPlace.Timer)
        {
            Timers.Reschedule(job, until);
        }
        else
        {
            Timers.Add(job, until);
        }
    }

    /// <summary>Writes a record that lists job ids and nothing else.</summary>
    public static void WriteJobIds(RecordBuffer buffer, RecordType type, long time, ReadOnlySpan<Guid> jobs)
    {
        Begin(buffer, type, time);
        buffer.WriteInt32(jobs.Length);
        foreach (var id in jobs)
        {
            buffer.WriteGuid(id);
        }
    }

    /// <summary>
    /// An expired lease counts as a failed attempt and is redelivered at once (no backoff: the
    /// worker vanished, the job did not fail), or dead-letters when the attempts are spent.
    /// </summary>
    private void ApplyLeasesExpired(ref RecordReader reader, long time)
    {
        var count = reader.ReadCount(16);
        for (var i = 0; i < count; i++)
        {
            var job = RequireProcessing(reader.ReadGuid());
            var retry = job.RetryCount < job.MaxRetries;
            FailAttempt(job, retry ? LeaseExpiredError : LeaseExpiredDeadLetterError, retry ? time : 0, time);
        }
    }

    private void ApplyJobsExpired(ref RecordReader reader, long time)
    {
        var count = reader.ReadCount(16);
        for (var i = 0; i < count; i++)
        {
            var job = RequireJob(reader.ReadGuid());
            if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled) || job.Details is not { StartedAt: 0 })
            {
                throw new BrokerRecordException($"job {job.Id} expires while {job.Status.ToWire()} or after a claim");
            }

            var details = job.Details!;
            details.LastError = "Expired at " + new DateTimeOffset(details.ExpiresAt, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture) + " before it was claimed";
            Cancel(job, time);
        }
    }

    public static void WriteJobCancelled(RecordBuffer buffer, long time, Guid jobId)
    {
        Begin(buffer, RecordType.JobCancelled, time);
        buffer.WriteGuid(jobId);
    }

    private void ApplyJobCancelled(ref RecordReader reader, long time)
    {
        var job = RequireJob(reader.ReadGuid());
        if (job.Status is not (JobStatus.Pending or JobStatus.Scheduled))
        {
            throw new BrokerRecordException($"job {job.Id} is cancelled while {job.Status.ToWire()}");
        }

        Cancel(job, time);
    }

    private void Cancel(Job job, long time)
    {
        Unplace(job);
        SetStatus(job, JobStatus.Cancelled);
        job.EnsureDetails().CompletedAt = time;
        job.UpdatedAt = time;
        Finish(job);
    }

    /// <summary>A retry (manual or from the dead-letter queue) gives the job a fresh attempt budget.</summary>
    private void ApplyJobsRetried(ref RecordReader reader, long time)
    {
        var count = reader.ReadCount(16);
        for (var i = 0; i < count; i++)
        {
            var job = RequireJob(reader.ReadGuid());
            if (job.Status is not (JobStatus.DeadLetter or JobStatus.Failed))
            {
                throw new BrokerRecordException($"job {job.Id} is retried while {job.Status.ToWire()}");
            }

            SetStatus(job, JobStatus.Pending);
            job.RetryCount = 0;
            job.ScheduledAt = 0;
            job.UpdatedAt = time;
            if (job.Details is { } details)
            {
                details.LastError = null;
                details.CompletedAt = 0;
                details.Result = null;
            }

            ClearLease(job);
            Place(job);
        }
    }

    public static void WritePriorityChanged(RecordBuffer buffer, long time, Guid jobId, short priority)
    {
        Begin(buffer, RecordType.PriorityChanged, time);
        buffer.WriteGuid(jobId);
        buffer.WriteInt16(priority);
    }

    private void ApplyPriorityChanged(ref RecordReader reader, long time)
    {
        var job = RequireJob(reader.ReadGuid());
        job.Priority = reader.ReadInt16();
        job.UpdatedAt = time;
        if (job.Place == JobPlace.Ready)
        {
            job.Queue.Ready.Update(job);
        }
    }

    private void ApplyJobsPurged(ref RecordReader reader)
    {
        var count = reader.ReadCount(16);
        for (var i = 0; i < count; i++)
        {
            var job = RequireJob(reader.ReadGuid());
            if (job.Status != JobStatus.DeadLetter)
            {
                throw new BrokerRecordException($"job {job.Id} is purged while {job.Status.ToWire()}");
            }

            RemoveJob(job);
        }
    }

    public static void WriteJobProgress(RecordBuffer buffer, long time, Guid jobId, byte[] progress)
    {
        Begin(buffer, RecordType.JobProgress, time);
        buffer.WriteGuid(jobId);
        buffer.WriteBytes(progress);
    }

    private void ApplyJobProgress(ref RecordReader reader, long time)
    {
        var job = RequireProcessing(reader.ReadGuid());
        job.Details!.Progress = reader.ReadBytes();
        job.UpdatedAt = time;
    }

    private Job RequireProcessing(Guid id) => RequireProcessing(-1, id);

    private Job RequireProcessing(int index, Guid id)
    {
        var job = FindJob(index, id);
        return job.Status == JobStatus.Processing
            ? job
            : throw new BrokerRecordException($"job {id} is acknowledged while {job.Status.ToWire()}");
    }

    /// <summary>The names a tag filter matches: string elements of an array, or keys of an object.</summary>
    internal static string[]? TagNamesOf(byte[]? tags)
    {
        if (tags is null)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(tags);
            if (!reader.Read())
            {
                return null;
            }

            var names = new List<string>();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        names.Add(reader.GetString()!);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    names.Add(reader.GetString()!);
                    reader.Read();
                    reader.Skip();
                }
            }

            return names.Count == 0 ? null : [.. names];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
