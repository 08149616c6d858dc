using Spooled.Broker.Records;
using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <content>Queues and workers.</content>
internal sealed partial class BrokerEngine
{
    private QueueState QueueOf(OrgState org, string name)
    {
        if (!Validation.IsQueueName(name))
        {
            throw BrokerException.Invalid("queue_name", "Invalid queue name", "queue_name");
        }

        return org.Queues.TryGetValue(name, out var queue) ? queue : throw BrokerException.NotFound("Queue");
    }

    public IReadOnlyList<QueueView> ListQueues(string orgId)
    {
        var org = Org(orgId);
        var names = new List<string>(org.Queues.Keys);
        names.Sort(StringComparer.Ordinal);
        var result = new List<QueueView>(names.Count);
        foreach (var name in names)
        {
            result.Add(View(org.Queues[name]));
        }

        return result;
    }

    public QueueView GetQueue(string orgId, string name) => View(QueueOf(Org(orgId), name));

    private QueueView View(QueueState queue) => new()
    {
        QueueName = queue.Name,
        OrganizationId = queue.Org.Id,
        Id = queue.Id,
        MaxRetries = queue.MaxRetries ?? _options.DefaultMaxRetries,
        DefaultTimeout = queue.DefaultTimeout ?? _options.DefaultTimeoutSeconds,
        RateLimit = queue.RateLimit,
        Enabled = !queue.Paused,
        Settings = queue.Settings,
        BackoffBaseSeconds = queue.BackoffBaseSeconds,
        BackoffMaxSeconds = queue.BackoffMaxSeconds,
        BackoffJitter = queue.BackoffJitter,
        PausedAt = ToOptionalTime(queue.PausedAt),
        PausedReason = queue.PausedReason,
        CreatedAt = ToTime(queue.CreatedAt),
        UpdatedAt = ToTime(queue.UpdatedAt),
    };

    /// <summary>Changes the fields given and keeps the rest; <c>enabled</c> pauses or resumes.</summary>
    public QueueView Configure(string orgId, string name, QueueConfigUpdate update)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", name);
        check.Range("max_retries", update.MaxRetries, 0, 100, "max_retries");
        check.Range("default_timeout", update.DefaultTimeout, 1, 86_400, "default_timeout");
        check.Range("rate_limit", update.RateLimit, 0, 100_000, "rate_limit");
        check.Range("backoff_base_secs", update.BackoffBaseSeconds, 1, 86_400, "backoff_base_secs");
        check.Range("backoff_max_secs", update.BackoffMaxSeconds, 1, 604_800, "backoff_max_secs");
        if (update.Settings is { Length: > Validation.MaxTagsBytes })
        {
            check.Add("settings", "settings exceed 64 KiB", "size");
        }

        var current = org.Queues.GetValueOrDefault(name);
        var baseSeconds = update.BackoffBaseSeconds ?? current?.BackoffBaseSeconds ?? 60;
        var maxSeconds = update.BackoffMaxSeconds ?? current?.BackoffMaxSeconds ?? 3600;
        if (baseSeconds > maxSeconds)
        {
            check.Add("backoff_max_secs", "backoff_max_secs must be at least backoff_base_secs");
        }

        check.ThrowIfFailed();
        var start = Start();
        BrokerState.WriteQueueConfigured(_buffer, _now, org.Id, name, update);
        Commit(start);
        var queue = org.Queues[name];
        if (update.Enabled is { } enabled && enabled == queue.Paused)
        {
            start = Start();
            if (enabled)
            {
                BrokerState.WriteQueueRecord(_buffer, RecordType.QueueResumed, _now, org.Id, name);
            }
            else
            {
                BrokerState.WriteQueuePaused(_buffer, _now, org.Id, name, null);
            }

            Commit(start);
        }

        return View(queue);
    }

    public QueuePauseState Pause(string orgId, string name, string? reason)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", name);
        check.Text("reason", reason, 0, 500, required: false);
        check.ThrowIfFailed();
        var start = Start();
        BrokerState.WriteQueuePaused(_buffer, _now, org.Id, name, reason);
        Commit(start);
        var queue = org.Queues[name];
        return new QueuePauseState(name, true, ToTime(queue.PausedAt), reason, 0);
    }

    /// <summary>Resumes a queue; the answer says how long it was paused (0 when it was not).</summary>
    public QueuePauseState Resume(string orgId, string name)
    {
        var queue = QueueOf(Org(orgId), name);
        var pausedFor = queue.Paused ? (_now - queue.PausedAt) / TimeSpan.TicksPerSecond : 0;
        var start = Start();
        BrokerState.WriteQueueRecord(_buffer, RecordType.QueueResumed, _now, queue.Org.Id, name);
        Commit(start);
        return new QueuePauseState(name, false, null, null, pausedFor);
    }

    /// <summary>
    /// Deletes a queue's configuration, refused while it has pending, scheduled or processing jobs.
    /// Its finished jobs stay until retention removes them; a queue without jobs disappears.
    /// </summary>
    public void DeleteQueue(string orgId, string name)
    {
        var queue = QueueOf(Org(orgId), name);
        if (queue.ActiveJobs > 0)
        {
            throw BrokerException.Conflict("Queue has pending, scheduled or processing jobs");
        }

        var start = Start();
        BrokerState.WriteQueueRecord(_buffer, RecordType.QueueDeleted, _now, queue.Org.Id, name);
        Commit(start);
    }

    public QueueStats GetQueueStats(string orgId, string name)
    {
        var queue = QueueOf(Org(orgId), name);
        var (completed, failed, ticks) = queue.Stats.Last24Hours(_now);
        var oldest = queue.Ready.Oldest()?.CreatedAt ?? long.MaxValue;

        var workers = 0;
        foreach (var worker in queue.Org.Workers.Values)
        {
            if (worker.QueueName == name && StatusOf(worker) is not WorkerStatus.Offline)
            {
                workers++;
            }
        }

        return new QueueStats(
            name,
            queue.Counts[(int)JobStatus.Pending],
            queue.Counts[(int)JobStatus.Scheduled],
            queue.Counts[(int)JobStatus.Processing],
            completed,
            failed,
            completed == 0 ? null : (double)ticks / completed / TimeSpan.TicksPerMillisecond,
            oldest == long.MaxValue ? null : (_now - oldest) / TimeSpan.TicksPerSecond,
            workers,
            queue.Paused);
    }

    public (WorkerView Worker, int LeaseSeconds, int HeartbeatSeconds) RegisterWorker(string orgId, WorkerRegistration registration)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.QueueName("queue_name", registration.QueueName);
        check.Text("hostname", registration.Hostname, 1, 255, required: true);
        check.Text("worker_type", registration.WorkerType, 0, 50, required: false);
        check.Text("version", registration.Version, 0, 50, required: false);
        check.Text("worker_id", registration.WorkerId, 1, 255, required: false);
        check.Range("max_concurrency", registration.MaxConcurrency, 1, 100, "max_concurrency");
        if (registration.Metadata is { Length: > Validation.MaxTagsBytes })
        {
            check.Add("metadata", "metadata exceeds 64 KiB", "size");
        }

        check.ThrowIfFailed();
        var id = registration.WorkerId ?? Guid.NewGuid().ToString();
        var start = Start();
        BrokerState.WriteWorkerRegistered(_buffer, _now, org.Id, id, registration, registration.MaxConcurrency ?? 5);
        Commit(start);
        return (View(org, org.Workers[id]), 30, _options.WorkerHeartbeatIntervalSeconds);
    }

    /// <summary>Records a heartbeat; a status the broker does not know is taken as healthy.</summary>
    public void WorkerHeartbeat(string orgId, string workerId, int currentJobs, string? status, byte[]? metadata)
    {
        var org = Org(orgId);
        if (!org.Workers.ContainsKey(workerId))
        {
            throw BrokerException.NotFound("Worker");
        }

        var check = new Validation();
        check.Range("current_jobs", currentJobs, 0, 100_000, "current_jobs");
        if (metadata is { Length: > Validation.MaxTagsBytes })
        {
            check.Add("metadata", "metadata exceeds 64 KiB", "size");
        }

        check.ThrowIfFailed();
        var parsed = status switch
        {
            "degraded" => WorkerStatus.Degraded,
            "draining" or "stopping" => WorkerStatus.Draining,
            _ => WorkerStatus.Healthy,
        };
        var start = Start();
        BrokerState.WriteWorkerHeartbeat(_buffer, _now, org.Id, workerId, currentJobs, parsed, metadata);
        Commit(start);
    }

    /// <summary>Marks the worker offline and releases its jobs to pending; returns how many were released.</summary>
    public int DeregisterWorker(string orgId, string workerId)
    {
        var org = Org(orgId);
        if (!org.Workers.ContainsKey(workerId))
        {
            throw BrokerException.NotFound("Worker");
        }

        var released = State.HeldBy(org, workerId).Count;
        var start = Start();
        BrokerState.WriteWorkerDeregistered(_buffer, _now, org.Id, workerId);
        Commit(start);
        return released;
    }

    public IReadOnlyList<WorkerView> ListWorkers(string orgId)
    {
        var org = Org(orgId);
        var workers = new List<WorkerState>(org.Workers.Values);
        workers.Sort(static (a, b) => b.LastHeartbeat != a.LastHeartbeat ? b.LastHeartbeat.CompareTo(a.LastHeartbeat) : string.CompareOrdinal(a.Id, b.Id));
        var result = new List<WorkerView>(Math.Min(100, workers.Count));
        for (var i = 0; i < workers.Count && i < 100; i++)
        {
            result.Add(View(org, workers[i]));
        }

        return result;
    }

    public WorkerView GetWorker(string orgId, string workerId)
    {
        var org = Org(orgId);
        return org.Workers.TryGetValue(workerId, out var worker) ? View(org, worker) : throw BrokerException.NotFound("Worker");
    }

    private WorkerView View(OrgState org, WorkerState worker) => new()
    {
        Id = worker.Id,
        OrganizationId = org.Id,
        QueueName = worker.QueueName,
        Hostname = worker.Hostname,
        WorkerType = worker.WorkerType,
        MaxConcurrency = worker.MaxConcurrency,
        CurrentJobs = worker.CurrentJobs,
        Status = StatusOf(worker),
        LastHeartbeat = ToTime(worker.LastHeartbeat),
        Metadata = worker.Metadata,
        Version = worker.Version,
        CreatedAt = ToTime(worker.CreatedAt),
        UpdatedAt = ToTime(worker.UpdatedAt),
    };

    /// <summary>Offline once deregistered or silent past the offline age; degraded when late; else as reported.</summary>
    private WorkerStatus StatusOf(WorkerState worker)
    {
        if (worker.ReportedStatus == WorkerStatus.Offline)
        {
            return WorkerStatus.Offline;
        }

        var silent = _now - worker.LastHeartbeat;
        if (silent > _options.WorkerOfflineAfter.Ticks)
        {
            return WorkerStatus.Offline;
        }

        return silent > _options.WorkerDegradedAfter.Ticks && worker.ReportedStatus == WorkerStatus.Healthy ? WorkerStatus.Degraded : worker.ReportedStatus;
    }
}
