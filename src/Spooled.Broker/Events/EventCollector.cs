using Spooled.Broker.State;

namespace Spooled.Broker.Events;

/// <summary>
/// Gathers the events of the changes the engine applies, on the engine thread, until the engine
/// hands them over with the records they came from (<see cref="Take"/>). Only live changes are
/// gathered: replay at startup runs without a collector, and so does a turn in which nobody
/// listens to the organization.
/// </summary>
internal sealed class EventCollector(EventBus bus)
{
    private List<BrokerEvent>? _pending;

    /// <summary>The events gathered since the last call, or null when there are none.</summary>
    public List<BrokerEvent>? Take()
    {
        var taken = _pending;
        _pending = null;
        return taken;
    }

    public void Created(Job job, long time)
    {
        if (Wanted(job.Queue.Org.Id))
        {
            Add(new BrokerEvent { Kind = BrokerEventKind.JobCreated, OrgId = job.Queue.Org.Id, QueueName = job.Queue.Name, JobId = job.Id, Priority = job.Priority, Timestamp = At(time) });
        }
    }

    /// <summary>A status change; <paramref name="oldStatus"/> is null for a new job.</summary>
    public void StatusChanged(Job job, JobStatus? oldStatus, JobStatus newStatus, long time)
    {
        if (Wanted(job.Queue.Org.Id))
        {
            Add(new BrokerEvent { Kind = BrokerEventKind.JobStatusChange, OrgId = job.Queue.Org.Id, QueueName = job.Queue.Name, JobId = job.Id, OldStatus = oldStatus, NewStatus = newStatus, Timestamp = At(time) });
        }
    }

    public void Completed(Job job, long attemptTicks, long time)
    {
        if (Wanted(job.Queue.Org.Id))
        {
            Add(new BrokerEvent { Kind = BrokerEventKind.JobCompleted, OrgId = job.Queue.Org.Id, QueueName = job.Queue.Name, JobId = job.Id, DurationMs = attemptTicks / TimeSpan.TicksPerMillisecond, Timestamp = At(time) });
        }
    }

    public void Failed(Job job, string error, bool willRetry, long time)
    {
        if (Wanted(job.Queue.Org.Id))
        {
            Add(new BrokerEvent { Kind = BrokerEventKind.JobFailed, OrgId = job.Queue.Org.Id, QueueName = job.Queue.Name, JobId = job.Id, Error = error, RetryCount = job.RetryCount, WillRetry = willRetry, Timestamp = At(time) });
        }
    }

    public void Worker(BrokerEventKind kind, OrgState org, WorkerState worker, long time)
    {
        if (Wanted(org.Id))
        {
            Add(new BrokerEvent { Kind = kind, OrgId = org.Id, QueueName = worker.QueueName, WorkerId = worker.Id, Detail = WorkerStatusName(worker.ReportedStatus), CurrentJobs = worker.CurrentJobs, Timestamp = At(time) });
        }
    }

    public void Queue(BrokerEventKind kind, QueueState queue, long time)
    {
        if (Wanted(queue.Org.Id))
        {
            Add(new BrokerEvent { Kind = kind, OrgId = queue.Org.Id, QueueName = queue.Name, Detail = queue.PausedReason, Timestamp = At(time) });
        }
    }

    private bool Wanted(string orgId) => bus.HasSubscribersFor(orgId);

    private void Add(BrokerEvent @event) => (_pending ??= []).Add(@event);

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static string WorkerStatusName(WorkerStatus status) => status switch
    {
        WorkerStatus.Healthy => "healthy",
        WorkerStatus.Degraded => "degraded",
        WorkerStatus.Offline => "offline",
        _ => "draining",
    };
}
