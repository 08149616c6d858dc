using Spooled.Broker.Records;
using Spooled.Broker.State;

namespace Spooled.Broker.Snapshots;

/// <summary>
/// The whole broker state as bytes, and back. Jobs are written per organization in enqueue order
/// with every field; derived indexes (heaps, idempotency map, counts) are rebuilt on load, except
/// the retention order of finished jobs, which is written as a list of ids.
/// </summary>
internal static class StateSnapshot
{
    private const uint Magic = 0x53425053; // "SPBS" little-endian.
    private const int Version = 1;

    /// <summary>Serializes the state; the memory returned is the writer's own buffer (no final copy).</summary>
    public static ReadOnlyMemory<byte> Write(BrokerState state) => Capture(state).Serialize();

    /// <summary>
    /// Captures what a snapshot needs, on the engine thread, without serializing the jobs: each
    /// job's changeable fields are copied into a struct (its payload, result and strings are never
    /// changed once made, so they are shared, not copied). Serializing the capture can then run on
    /// another thread while the engine goes on, so the pause the engine takes is the copy alone.
    /// </summary>
    public static SnapshotCapture Capture(BrokerState state, CaptureArrays? arrays = null)
    {
        var head = new RecordBuffer(4096);
        head.WriteInt32(unchecked((int)Magic));
        head.WriteInt32(Version);
        head.WriteInt64(state.NextSeq);
        head.WriteInt64(state.Clock);
        head.WriteInt32(state.Orgs.Count);

        // In key order: a dictionary's enumeration order depends on the removals it has seen, which
        // a state reloaded from a snapshot has not, and replay must reach the same bytes.
        var orgs = new List<OrgState>(state.Orgs.Values);
        orgs.Sort(static (x, y) => string.CompareOrdinal(x.Id, y.Id));
        var captured = new List<SnapshotCapture.Org>(orgs.Count);
        foreach (var org in orgs)
        {
            captured.Add(CaptureOrg(org, arrays));
        }

        return new SnapshotCapture(head.Slice(0, head.Length), captured);
    }

    private static SnapshotCapture.Org CaptureOrg(OrgState org, CaptureArrays? arrays)
    {
        var b = new RecordBuffer(4096);
        b.WriteString(org.Id);
        b.WriteString(org.Name);
        b.WriteString(org.Slug);
        b.WriteString(org.PlanTier);
        b.WriteString(org.BillingEmail);
        b.WriteBytes(org.Settings);
        b.WriteInt64(org.CreatedAt);
        b.WriteInt64(org.UpdatedAt);

        b.WriteInt32(org.ApiKeys.Count);
        Span<byte> hash = stackalloc byte[32];
        foreach (var key in org.ApiKeys)
        {
            b.WriteGuid(key.Id);
            key.Hash.WriteTo(hash);
            b.WriteBytes(hash);
            b.WriteString(key.Name);
            b.WriteInt32(key.Queues.Length);
            foreach (var queue in key.Queues)
            {
                b.WriteString(queue);
            }

            b.WriteInt32(key.RateLimit ?? -1);
            b.WriteBool(key.IsActive);
            b.WriteInt64(key.CreatedAt);
            b.WriteInt64(key.ExpiresAt);
            b.WriteInt64(Volatile.Read(ref key.LastUsed));
        }

        var queueIndex = new Dictionary<QueueState, int>(org.Queues.Count);
        b.WriteInt32(org.Queues.Count);
        var queues = new List<QueueState>(org.Queues.Values);
        queues.Sort(static (x, y) => string.CompareOrdinal(x.Name, y.Name));
        foreach (var queue in queues)
        {
            queueIndex.Add(queue, queueIndex.Count);
            b.WriteString(queue.Name);
            b.WriteInt64(queue.CreatedAt);
            b.WriteInt64(queue.UpdatedAt);
            b.WriteBool(queue.Configured);
            b.WriteInt32(queue.MaxRetries ?? -1);
            b.WriteInt32(queue.DefaultTimeout ?? -1);
            b.WriteInt32(queue.RateLimit ?? -1);
            b.WriteBytes(queue.Settings);
            b.WriteInt32(queue.BackoffBaseSeconds);
            b.WriteInt32(queue.BackoffMaxSeconds);
            b.WriteBool(queue.BackoffJitter);
            b.WriteBool(queue.Paused);
            b.WriteInt64(queue.PausedAt);
            b.WriteString(queue.PausedReason);
            for (var i = 0; i < HourlyStats.Hours; i++)
            {
                b.WriteInt64(queue.Stats.Hour[i]);
                b.WriteInt64(queue.Stats.Completed[i]);
                b.WriteInt64(queue.Stats.Failed[i]);
                b.WriteInt64(queue.Stats.ProcessingTicks[i]);
            }
        }

        b.WriteInt32(org.Workers.Count);
        foreach (var worker in org.Workers.Values)
        {
            b.WriteString(worker.Id);
            b.WriteInt64(worker.CreatedAt);
            b.WriteInt64(worker.UpdatedAt);
            b.WriteString(worker.QueueName);
            b.WriteString(worker.Hostname);
            b.WriteString(worker.WorkerType);
            b.WriteInt32(worker.MaxConcurrency);
            b.WriteInt32(worker.CurrentJobs);
            b.WriteByte((byte)worker.ReportedStatus);
            b.WriteInt64(worker.LastHeartbeat);
            b.WriteNullableBytes(worker.Metadata);
            b.WriteString(worker.Version);
        }

        var jobs = arrays?.Rent(org.Id, org.Jobs.Live) ?? new JobCapture[org.Jobs.Live];
        var n = 0;
        for (var i = 0; i < org.Jobs.Count; i++)
        {
            if (org.Jobs[i] is { } job)
            {
                jobs[n++] = new JobCapture(job, queueIndex[job.Queue]);
            }
        }

        var finished = new Guid[org.Finished.Count];
        n = 0;
        foreach (var job in org.Finished)
        {
            finished[n++] = job.Id;
        }

        return new SnapshotCapture.Org(b.Slice(0, b.Length), jobs, org.Jobs.Live, finished);
    }

    internal static void WriteJob(RecordBuffer b, in JobCapture job)
    {
        b.WriteGuid(job.Id);
        b.WriteInt64(job.Seq);
        b.WriteInt32(job.QueueIndex);
        b.WriteBytes(job.Payload);
        b.WriteInt64(job.CreatedAt);
        b.WriteInt64(job.UpdatedAt);
        b.WriteInt64(job.ScheduledAt);
        b.WriteInt32(job.TimeoutSeconds);
        b.WriteInt16(job.Priority);
        b.WriteInt16(job.RetryCount);
        b.WriteInt16(job.MaxRetries);
        b.WriteByte((byte)job.Status);
        var d = job.Details;
        b.WriteBool(d is not null);
        if (d is null)
        {
            return;
        }

        b.WriteInt64(d.StartedAt);
        b.WriteInt64(d.AttemptStartedAt);
        b.WriteInt64(d.CompletedAt);
        b.WriteInt64(d.ExpiresAt);
        b.WriteNullableBytes(d.Result);
        b.WriteString(d.LastError);
        b.WriteNullableBytes(d.Tags);
        b.WriteString(d.IdempotencyKey);
        b.WriteString(d.CompletionWebhook);
        b.WriteGuid(d.ParentJobId);
        b.WriteString(d.WorkerId);
        b.WriteGuid(d.LeaseId);
        b.WriteInt64(d.LeaseExpiresAt);
        b.WriteNullableBytes(d.Progress);
    }

    public static BrokerState Read(ReadOnlySpan<byte> data, RetentionPolicy retention)
    {
        var r = new RecordReader(data);
        if (unchecked((uint)r.ReadInt32()) != Magic)
        {
            throw new BrokerRecordException("the snapshot is not a broker snapshot");
        }

        var version = r.ReadInt32();
        if (version != Version)
        {
            throw new BrokerRecordException($"snapshot version {version} is not supported");
        }

        var state = new BrokerState(retention) { NextSeq = r.ReadInt64(), Clock = r.ReadInt64() };
        var orgs = r.ReadCount(8);
        for (var i = 0; i < orgs; i++)
        {
            ReadOrg(ref r, state);
        }

        r.ExpectEnd();
        return state;
    }

    private static void ReadOrg(ref RecordReader r, BrokerState state)
    {
        var id = r.ReadRequiredString();
        var name = r.ReadRequiredString();
        var slug = r.ReadRequiredString();
        var plan = r.ReadRequiredString();
        var email = r.ReadString();
        var settings = r.ReadBytes() ?? throw new BrokerRecordException("organization settings are null");
        var org = new OrgState(id, r.ReadInt64())
        {
            Name = name,
            Slug = slug,
            PlanTier = plan,
            BillingEmail = email,
            Settings = settings,
            UpdatedAt = r.ReadInt64(),
        };
        state.RestoreOrg(org);

        var keys = r.ReadCount(16);
        for (var i = 0; i < keys; i++)
        {
            var keyId = r.ReadGuid();
            var hash = ApiKeyHash.FromBytes(r.ReadBytes() is { Length: 32 } bytes ? bytes : throw new BrokerRecordException("an API key hash is not 32 bytes"));
            var keyName = r.ReadRequiredString();
            var queues = new string[r.ReadCount(4)];
            for (var q = 0; q < queues.Length; q++)
            {
                queues[q] = r.ReadRequiredString();
            }

            var rate = r.ReadInt32();
            var active = r.ReadBool();
            var key = new ApiKeyState(keyId, org, hash, r.ReadInt64())
            {
                Name = keyName,
                Queues = queues,
                RateLimit = rate < 0 ? null : rate,
                IsActive = active,
                ExpiresAt = r.ReadInt64(),
                LastUsed = r.ReadInt64(),
            };
            state.RestoreKey(key);
        }

        var queueCount = r.ReadCount(8);
        var queueList = new QueueState[queueCount];
        for (var i = 0; i < queueCount; i++)
        {
            var queueName = r.ReadRequiredString();
            var queue = state.GetOrAddQueue(org, queueName, r.ReadInt64());
            queue.UpdatedAt = r.ReadInt64();
            queue.Configured = r.ReadBool();
            var maxRetries = r.ReadInt32();
            var timeout = r.ReadInt32();
            var rate = r.ReadInt32();
            queue.MaxRetries = maxRetries < 0 ? null : maxRetries;
            queue.DefaultTimeout = timeout < 0 ? null : timeout;
            queue.RateLimit = rate < 0 ? null : rate;
            queue.Settings = r.ReadBytes() ?? throw new BrokerRecordException("queue settings are null");
            queue.BackoffBaseSeconds = r.ReadInt32();
            queue.BackoffMaxSeconds = r.ReadInt32();
            queue.BackoffJitter = r.ReadBool();
            queue.Paused = r.ReadBool();
            queue.PausedAt = r.ReadInt64();
            queue.PausedReason = r.ReadString();
            for (var h = 0; h < HourlyStats.Hours; h++)
            {
                queue.Stats.Hour[h] = r.ReadInt64();
                queue.Stats.Completed[h] = r.ReadInt64();
                queue.Stats.Failed[h] = r.ReadInt64();
                queue.Stats.ProcessingTicks[h] = r.ReadInt64();
            }

            queueList[i] = queue;
        }

        var workers = r.ReadCount(8);
        for (var i = 0; i < workers; i++)
        {
            var worker = new WorkerState(r.ReadRequiredString(), r.ReadInt64())
            {
                UpdatedAt = r.ReadInt64(),
                QueueName = r.ReadRequiredString(),
                Hostname = r.ReadRequiredString(),
                WorkerType = r.ReadString(),
                MaxConcurrency = r.ReadInt32(),
                CurrentJobs = r.ReadInt32(),
                ReportedStatus = (WorkerStatus)r.ReadByte(),
                LastHeartbeat = r.ReadInt64(),
                Metadata = r.ReadBytes(),
                Version = r.ReadString(),
            };
            org.Workers.Add(worker.Id, worker);
        }

        var jobs = r.ReadCount(16);
        for (var i = 0; i < jobs; i++)
        {
            state.RestoreJob(ReadJob(ref r, queueList));
        }

        var finished = r.ReadCount(16);
        for (var i = 0; i < finished; i++)
        {
            state.RestoreFinished(state.RequireJob(r.ReadGuid()));
        }
    }

    private static Job ReadJob(ref RecordReader r, QueueState[] queues)
    {
        var id = r.ReadGuid();
        var seq = r.ReadInt64();
        var queueIndex = r.ReadInt32();
        if ((uint)queueIndex >= (uint)queues.Length)
        {
            throw new BrokerRecordException($"job {id} names queue #{queueIndex} of {queues.Length}");
        }

        var job = new Job(id, seq, queues[queueIndex], r.ReadBytes() ?? throw new BrokerRecordException($"job {id} has no payload"))
        {
            CreatedAt = r.ReadInt64(),
            UpdatedAt = r.ReadInt64(),
            ScheduledAt = r.ReadInt64(),
            TimeoutSeconds = r.ReadInt32(),
            Priority = r.ReadInt16(),
            RetryCount = r.ReadInt16(),
            MaxRetries = r.ReadInt16(),
            Status = (JobStatus)r.ReadByte(),
        };
        if (!r.ReadBool())
        {
            return job;
        }

        var d = job.EnsureDetails();
        d.StartedAt = r.ReadInt64();
        d.AttemptStartedAt = r.ReadInt64();
        d.CompletedAt = r.ReadInt64();
        d.ExpiresAt = r.ReadInt64();
        d.Result = r.ReadBytes();
        d.LastError = r.ReadString();
        d.Tags = r.ReadBytes();
        d.TagNames = BrokerState.TagNamesOf(d.Tags);
        d.IdempotencyKey = r.ReadString();
        d.CompletionWebhook = r.ReadString();
        d.ParentJobId = r.ReadGuid();
        d.WorkerId = r.ReadString();
        d.LeaseId = r.ReadGuid();
        d.LeaseExpiresAt = r.ReadInt64();
        d.Progress = r.ReadBytes();
        return job;
    }
}
