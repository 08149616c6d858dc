namespace Spooled.Broker.State;

/// <content>A full cross-check of the indexes, for tests: slow (it walks everything), never on the request path.</content>
internal sealed partial class BrokerState
{
    /// <summary>Returns the first inconsistency found between the indexes, or null.</summary>
    public string? FindInconsistency()
    {
        var seen = 0;
        foreach (var org in Orgs.Values)
        {
            var counts = new long[JobStatusNames.Count];
            var queueCounts = new Dictionary<QueueState, long[]>();
            for (var i = 0; i < org.Jobs.Count; i++)
            {
                if (org.Jobs[i] is not { } job)
                {
                    continue;
                }

                seen++;
                if (!Jobs.TryGetValue(job.Id, out var indexed) || !ReferenceEquals(indexed, job))
                {
                    return $"job {job.Id} is in its organization's list but not in the id map";
                }

                if (!ReferenceEquals(job.Queue.Org, org) || !org.Queues.TryGetValue(job.Queue.Name, out var q) || !ReferenceEquals(q, job.Queue))
                {
                    return $"job {job.Id} names a queue its organization does not hold";
                }

                counts[(int)job.Status]++;
                if (!queueCounts.TryGetValue(job.Queue, out var perQueue))
                {
                    queueCounts[job.Queue] = perQueue = new long[JobStatusNames.Count];
                }

                perQueue[(int)job.Status]++;
                if (PlaceProblem(job) is { } problem)
                {
                    return $"job {job.Id} ({job.Status.ToWire()}): {problem}";
                }

                if (job.Details?.IdempotencyKey is { } key && (!org.Idempotency.TryGetValue(key, out var owner) || !ReferenceEquals(owner, job)))
                {
                    return $"job {job.Id}'s idempotency key is not mapped to it";
                }
            }

            for (var s = 0; s < counts.Length; s++)
            {
                if (counts[s] != org.Counts[s])
                {
                    return $"organization {org.Id} counts {org.Counts[s]} {((JobStatus)s).ToWire()} jobs but holds {counts[s]}";
                }
            }

            foreach (var queue in org.Queues.Values)
            {
                var expected = queueCounts.GetValueOrDefault(queue) ?? new long[JobStatusNames.Count];
                for (var s = 0; s < expected.Length; s++)
                {
                    if (expected[s] != queue.Counts[s])
                    {
                        return $"queue {queue.Name} counts {queue.Counts[s]} {((JobStatus)s).ToWire()} jobs but holds {expected[s]}";
                    }
                }
            }

            foreach (var (key, job) in org.Idempotency)
            {
                if (!Jobs.TryGetValue(job.Id, out var indexed) || !ReferenceEquals(indexed, job) || job.Details?.IdempotencyKey != key)
                {
                    return $"idempotency key '{key}' maps to a job that does not hold it";
                }
            }

            foreach (var job in org.Finished)
            {
                if (job.Status is not (JobStatus.Completed or JobStatus.Cancelled) || !Jobs.ContainsKey(job.Id))
                {
                    return $"job {job.Id} is in the retention order while {job.Status.ToWire()}";
                }
            }
        }

        if (seen != Jobs.Count)
        {
            return $"the id map holds {Jobs.Count} jobs but the organizations' lists {seen}";
        }

        var leased = new HashSet<Guid>();
        foreach (var entry in Timers.Items)
        {
            if (entry.Job.Status == JobStatus.Processing && !leased.Add(entry.Job.Details!.LeaseId))
            {
                return $"lease {entry.Job.Details.LeaseId} is held twice";
            }
        }

        return null;
    }

    private static string? PlaceProblem(Job job)
    {
        switch (job.Status)
        {
            case JobStatus.Processing:
                return job.Place != JobPlace.Timer || job.Details is not { LeaseId: var lease } || lease == Guid.Empty ? "not leased in the timer heap" : null;
            case JobStatus.Pending or JobStatus.Scheduled:
                if (job.Place == JobPlace.Ready)
                {
                    return job.HeapIndex >= 0 && job.HeapIndex < job.Queue.Ready.Count && job.Queue.Ready[job.HeapIndex] == job ? null : "ready heap slot is wrong";
                }

                return job.Place == JobPlace.Timer ? null : "waiting in no heap";
            default:
                return job.Place == JobPlace.None ? null : "finished but still in a heap";
        }
    }
}
