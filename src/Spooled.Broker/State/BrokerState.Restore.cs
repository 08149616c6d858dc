namespace Spooled.Broker.State;

/// <content>Rebuilding the indexes when a snapshot is loaded.</content>
internal sealed partial class BrokerState
{
    /// <summary>Adds an organization read from a snapshot.</summary>
    public void RestoreOrg(OrgState org)
    {
        Orgs.Add(org.Id, org);
        OrgsBySlug.Add(org.Slug, org);
    }

    /// <summary>Adds a key read from a snapshot.</summary>
    public void RestoreKey(ApiKeyState key)
    {
        ApiKeys[key.Id] = key;
        key.Org.ApiKeys.Add(key);
        Identities[key.Hash] = key;
    }

    /// <summary>Adds a job read from a snapshot (in enqueue order) to every index its status calls for.</summary>
    public void RestoreJob(Job job)
    {
        Jobs.Add(job.Id, job);
        var org = job.Queue.Org;
        org.Jobs.Add(job);
        if (job.Details?.IdempotencyKey is { } key)
        {
            org.Idempotency.Add(key, job);
        }

        Count(job, +1);
        Place(job);
        if (job.Status is JobStatus.Pending or JobStatus.Scheduled && job.Details is { ExpiresAt: > 0, StartedAt: 0 } details)
        {
            Expiries.Add(job, details.ExpiresAt);
        }
    }

    /// <summary>Re-queues a finished job for retention, in the order the snapshot kept.</summary>
    public void RestoreFinished(Job job)
    {
        job.Queue.Org.Finished.Enqueue(job);
        var expiry = job.Details!.CompletedAt + Retention.WindowTicks;
        if (expiry < _nextWindowSweep)
        {
            _nextWindowSweep = expiry;
        }
    }
}
