using Spooled.Broker.Records;

namespace Spooled.Broker.State;

/// <content>Bookkeeping shared by every transition: counts, heap placement, retention.</content>
internal sealed partial class BrokerState
{
    private long _nextWindowSweep = long.MaxValue;

    private static void Count(Job job, int delta)
    {
        job.Queue.Counts[(int)job.Status] += delta;
        job.Queue.Org.Counts[(int)job.Status] += delta;
    }

    private void SetStatus(Job job, JobStatus status)
    {
        var old = job.Status;
        Count(job, -1);
        job.Status = status;
        Count(job, +1);
        Events?.StatusChanged(job, old, status, Clock);
    }

    /// <summary>Puts a job in the heap its status and due time call for (no heap for finished jobs).</summary>
    private void Place(Job job)
    {
        switch (job.Status)
        {
            case JobStatus.Pending or JobStatus.Scheduled when job.ScheduledAt > Clock:
                Timers.Add(job, job.ScheduledAt);
                break;
            case JobStatus.Pending or JobStatus.Scheduled:
                if (job.Status == JobStatus.Scheduled)
                {
                    SetStatus(job, JobStatus.Pending);
                }

                job.Queue.Ready.Add(job);
                break;
            case JobStatus.Processing:
                Timers.Add(job, job.Details!.LeaseExpiresAt);
                break;
            default:
                break;
        }
    }

    private void Unplace(Job job)
    {
        switch (job.Place)
        {
            case JobPlace.Ready:
                job.Queue.Ready.Remove(job);
                break;
            case JobPlace.Timer:
                Timers.Remove(job);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Moves a job whose due time has come from the timer heap to its queue's ready heap (a
    /// scheduled job becomes pending). Not a logged change: where a job waits follows from its
    /// fields and the time, so replay reaches the same placement when the engine next looks at
    /// the clock.
    /// </summary>
    public void Promote(Job job, long now)
    {
        Timers.Remove(job);
        if (now > Clock)
        {
            Clock = now;
        }

        Place(job);
    }

    private static void ClearLease(Job job)
    {
        if (job.Details is { } details)
        {
            details.LeaseId = Guid.Empty;
            details.LeaseExpiresAt = 0;
        }
    }

    /// <summary>Records a completed or cancelled job for retention, evicting the oldest over the cap.</summary>
    private void Finish(Job job)
    {
        var org = job.Queue.Org;
        org.Finished.Enqueue(job);
        var expiry = job.Details!.CompletedAt + Retention.WindowTicks;
        if (expiry < _nextWindowSweep)
        {
            _nextWindowSweep = expiry;
        }

        while (org.Finished.Count > Retention.MaxFinishedPerOrganization)
        {
            RemoveJob(org.Finished.Dequeue());
        }
    }

    /// <summary>Removes finished jobs older than the retention window (a function of the record time).</summary>
    private void SweepRetention(long time)
    {
        if (time < _nextWindowSweep)
        {
            return;
        }

        var next = long.MaxValue;
        foreach (var org in Orgs.Values)
        {
            while (org.Finished.TryPeek(out var oldest))
            {
                var expiry = oldest.Details!.CompletedAt + Retention.WindowTicks;
                if (expiry > time)
                {
                    next = Math.Min(next, expiry);
                    break;
                }

                RemoveJob(org.Finished.Dequeue());
            }
        }

        _nextWindowSweep = next;
    }

    /// <summary>Forgets a job: its id, its idempotency key and its place in every index.</summary>
    private void RemoveJob(Job job)
    {
        if (!Jobs.Remove(job.Id))
        {
            throw new BrokerRecordException($"job {job.Id} is removed twice");
        }

        Unplace(job);
        Count(job, -1);
        var org = job.Queue.Org;
        org.Jobs.Remove(job);
        if (job.Details?.IdempotencyKey is { } key && org.Idempotency.TryGetValue(key, out var owner) && ReferenceEquals(owner, job))
        {
            org.Idempotency.Remove(key);
        }
    }

    /// <summary>The earliest time at which retention has work, for the engine's sweep timer.</summary>
    public long NextRetentionDue => _nextWindowSweep;
}
