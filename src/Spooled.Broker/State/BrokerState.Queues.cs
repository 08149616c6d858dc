using Spooled.Broker.Events;
using Spooled.Broker.Records;

namespace Spooled.Broker.State;

/// <content>Queue and worker records.</content>
internal sealed partial class BrokerState
{
    public static void WriteQueueConfigured(RecordBuffer buffer, long time, string orgId, string queue, QueueConfigUpdate update)
    {
        Begin(buffer, RecordType.QueueConfigured, time);
        buffer.WriteString(orgId);
        buffer.WriteString(queue);
        buffer.WriteInt32(update.MaxRetries ?? -1);
        buffer.WriteInt32(update.DefaultTimeout ?? -1);
        buffer.WriteInt32(update.ClearRateLimit ? -2 : update.RateLimit ?? -1);
        buffer.WriteNullableBytes(update.Settings);
        buffer.WriteInt32(update.BackoffBaseSeconds ?? -1);
        buffer.WriteInt32(update.BackoffMaxSeconds ?? -1);
        buffer.WriteByte(update.BackoffJitter switch { null => 2, true => 1, false => 0 });
    }

    private void ApplyQueueConfigured(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var queue = GetOrAddQueue(org, reader.ReadRequiredString(), time);
        var maxRetries = reader.ReadInt32();
        var timeout = reader.ReadInt32();
        var rate = reader.ReadInt32();
        var settings = reader.ReadBytes();
        var backoffBase = reader.ReadInt32();
        var backoffMax = reader.ReadInt32();
        var jitter = reader.ReadByte();
        queue.Configured = true;
        queue.MaxRetries = maxRetries >= 0 ? maxRetries : queue.MaxRetries;
        queue.DefaultTimeout = timeout >= 0 ? timeout : queue.DefaultTimeout;
        queue.RateLimit = rate switch { -2 => null, -1 => queue.RateLimit, _ => rate };
        queue.Settings = settings ?? queue.Settings;
        queue.BackoffBaseSeconds = backoffBase > 0 ? backoffBase : queue.BackoffBaseSeconds;
        queue.BackoffMaxSeconds = backoffMax > 0 ? backoffMax : queue.BackoffMaxSeconds;
        queue.BackoffJitter = jitter == 2 ? queue.BackoffJitter : jitter == 1;
        queue.UpdatedAt = time;
    }

    public static void WriteQueuePaused(RecordBuffer buffer, long time, string orgId, string queue, string? reason)
    {
        Begin(buffer, RecordType.QueuePaused, time);
        buffer.WriteString(orgId);
        buffer.WriteString(queue);
        buffer.WriteString(reason);
    }

    private void ApplyQueuePaused(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var queue = GetOrAddQueue(org, reader.ReadRequiredString(), time);
        queue.Configured = true;
        queue.Paused = true;
        queue.PausedAt = time;
        queue.PausedReason = reader.ReadString();
        queue.UpdatedAt = time;
        Events?.Queue(BrokerEventKind.QueuePaused, queue, time);
    }

    /// <summary>Writes a record naming one queue and nothing else.</summary>
    public static void WriteQueueRecord(RecordBuffer buffer, RecordType type, long time, string orgId, string queue)
    {
        Begin(buffer, type, time);
        buffer.WriteString(orgId);
        buffer.WriteString(queue);
    }

    private void ApplyQueueResumed(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var queue = GetOrAddQueue(org, reader.ReadRequiredString(), time);
        queue.Paused = false;
        queue.PausedAt = 0;
        queue.PausedReason = null;
        queue.UpdatedAt = time;
        Events?.Queue(BrokerEventKind.QueueResumed, queue, time);
    }

    /// <summary>Deleting a queue resets its configuration; its finished jobs stay until retention removes them.</summary>
    private void ApplyQueueDeleted(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var name = reader.ReadRequiredString();
        if (!org.Queues.TryGetValue(name, out var queue))
        {
            throw new BrokerRecordException($"queue '{name}' does not exist");
        }

        if (queue.TotalJobs == 0)
        {
            org.Queues.Remove(name);
            return;
        }

        queue.Configured = false;
        queue.MaxRetries = null;
        queue.DefaultTimeout = null;
        queue.RateLimit = null;
        queue.Settings = "{}"u8.ToArray();
        queue.BackoffBaseSeconds = 60;
        queue.BackoffMaxSeconds = 3600;
        queue.BackoffJitter = false;
        queue.Paused = false;
        queue.PausedAt = 0;
        queue.PausedReason = null;
        queue.UpdatedAt = time;
        Events?.Queue(BrokerEventKind.QueueResumed, queue, time);
    }

    public static void WriteWorkerRegistered(RecordBuffer buffer, long time, string orgId, string workerId, WorkerRegistration registration, int maxConcurrency)
    {
        Begin(buffer, RecordType.WorkerRegistered, time);
        buffer.WriteString(orgId);
        buffer.WriteString(workerId);
        buffer.WriteString(registration.QueueName);
        buffer.WriteString(registration.Hostname);
        buffer.WriteString(registration.WorkerType);
        buffer.WriteInt32(maxConcurrency);
        buffer.WriteNullableBytes(registration.Metadata);
        buffer.WriteString(registration.Version);
    }

    private void ApplyWorkerRegistered(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var id = reader.ReadRequiredString();
        if (!org.Workers.TryGetValue(id, out var worker))
        {
            worker = new WorkerState(id, time);
            org.Workers.Add(id, worker);
        }

        worker.QueueName = reader.ReadRequiredString();
        worker.Hostname = reader.ReadRequiredString();
        worker.WorkerType = reader.ReadString();
        worker.MaxConcurrency = reader.ReadInt32();
        worker.Metadata = reader.ReadBytes();
        worker.Version = reader.ReadString();
        worker.ReportedStatus = WorkerStatus.Healthy;
        worker.LastHeartbeat = time;
        worker.UpdatedAt = time;
        Events?.Worker(BrokerEventKind.WorkerRegistered, org, worker, time);
    }

    public static void WriteWorkerHeartbeat(RecordBuffer buffer, long time, string orgId, string workerId, int currentJobs, WorkerStatus status, byte[]? metadata)
    {
        Begin(buffer, RecordType.WorkerHeartbeat, time);
        buffer.WriteString(orgId);
        buffer.WriteString(workerId);
        buffer.WriteInt32(currentJobs);
        buffer.WriteByte((byte)status);
        buffer.WriteNullableBytes(metadata);
    }

    private void ApplyWorkerHeartbeat(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var worker = RequireWorker(org, reader.ReadRequiredString());
        worker.CurrentJobs = reader.ReadInt32();
        worker.ReportedStatus = (WorkerStatus)reader.ReadByte();
        worker.Metadata = reader.ReadBytes() ?? worker.Metadata;
        worker.LastHeartbeat = time;
        worker.UpdatedAt = time;
        Events?.Worker(BrokerEventKind.WorkerHeartbeat, org, worker, time);
    }

    public static void WriteWorkerDeregistered(RecordBuffer buffer, long time, string orgId, string workerId)
    {
        Begin(buffer, RecordType.WorkerDeregistered, time);
        buffer.WriteString(orgId);
        buffer.WriteString(workerId);
    }

    /// <summary>
    /// Marks the worker offline and puts every job it holds in this organization back to pending
    /// at once, without counting an attempt: the worker let go of them, nothing failed.
    /// </summary>
    private void ApplyWorkerDeregistered(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var id = reader.ReadRequiredString();
        if (org.Workers.TryGetValue(id, out var worker))
        {
            worker.ReportedStatus = WorkerStatus.Offline;
            worker.CurrentJobs = 0;
            worker.UpdatedAt = time;
            Events?.Worker(BrokerEventKind.WorkerDeregistered, org, worker, time);
        }

        foreach (var job in HeldBy(org, id))
        {
            Unplace(job);
            SetStatus(job, JobStatus.Pending);
            ClearLease(job);
            job.ScheduledAt = 0;
            job.UpdatedAt = time;
            Place(job);
        }
    }

    /// <summary>The processing jobs of <paramref name="org"/> held by a worker, in enqueue order (from the timer heap).</summary>
    public List<Job> HeldBy(OrgState org, string workerId)
    {
        var held = new List<Job>();
        foreach (var entry in Timers.Items)
        {
            var job = entry.Job;
            if (job.Status == JobStatus.Processing && ReferenceEquals(job.Queue.Org, org) && job.Details!.WorkerId == workerId)
            {
                held.Add(job);
            }
        }

        held.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return held;
    }

    private static WorkerState RequireWorker(OrgState org, string id) =>
        org.Workers.TryGetValue(id, out var worker) ? worker : throw new BrokerRecordException($"worker '{id}' does not exist");
}
