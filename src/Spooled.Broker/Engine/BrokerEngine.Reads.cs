using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <content>Reads: copies out of the state, never references into it.</content>
internal sealed partial class BrokerEngine
{
    public JobView? GetJob(string orgId, Guid jobId)
    {
        var org = Org(orgId);
        return State.Jobs.TryGetValue(jobId, out var job) && ReferenceEquals(job.Queue.Org, org) ? View(job) : null;
    }

    private JobView View(Job job)
    {
        var d = job.Details;
        return new JobView
        {
            Id = job.Id,
            OrganizationId = job.Queue.Org.Id,
            QueueName = job.Queue.Name,
            Status = job.Status,
            Payload = job.Payload,
            Result = d?.Result,
            RetryCount = job.RetryCount,
            MaxRetries = job.MaxRetries,
            LastError = d?.LastError,
            CreatedAt = ToTime(job.CreatedAt),
            UpdatedAt = ToTime(job.UpdatedAt),
            ScheduledAt = ToOptionalTime(job.ScheduledAt),
            StartedAt = ToOptionalTime(d?.StartedAt ?? 0),
            CompletedAt = ToOptionalTime(d?.CompletedAt ?? 0),
            ExpiresAt = ToOptionalTime(d?.ExpiresAt ?? 0),
            Priority = job.Priority,
            Tags = d?.Tags,
            TimeoutSeconds = job.TimeoutSeconds,
            ParentJobId = d is null || d.ParentJobId == Guid.Empty ? null : d.ParentJobId,
            CompletionWebhook = d?.CompletionWebhook,
            AssignedWorkerId = d?.WorkerId,
            LeaseId = d is null || d.LeaseId == Guid.Empty ? null : d.LeaseId,
            LeaseExpiresAt = ToOptionalTime(d?.LeaseExpiresAt ?? 0),
            IdempotencyKey = d?.IdempotencyKey,
            Progress = d?.Progress,
        };
    }

    private static JobSummary Summary(Job job) => new(
        job.Id,
        job.Queue.Name,
        job.Status,
        job.Priority,
        job.RetryCount,
        ToTime(job.CreatedAt),
        ToOptionalTime(job.ScheduledAt),
        ToOptionalTime(job.Details?.StartedAt ?? 0),
        ToOptionalTime(job.Details?.CompletedAt ?? 0));

    /// <summary>
    /// A page of the organization's jobs. Enqueue order needs no sort: the list is walked from the
    /// right end and stops after the page. Other orders sort the matching jobs (ties by enqueue order).
    /// </summary>
    public IReadOnlyList<JobSummary> ListJobs(string orgId, JobQuery query)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Range("limit", query.Limit, 1, 100, "limit");
        if (query.Offset < 0)
        {
            check.Add("offset", "offset must not be negative");
        }

        if (query.QueueName is not null)
        {
            check.QueueName("queue_name", query.QueueName);
        }

        check.ThrowIfFailed();
        var page = new List<JobSummary>(query.Limit);
        if (query.OrderBy == JobOrder.CreatedAt)
        {
            var skip = query.Offset;
            var count = org.Jobs.Count;
            for (var n = 0; n < count && page.Count < query.Limit; n++)
            {
                var job = org.Jobs[query.Descending ? count - 1 - n : n];
                if (job is null || !Matches(job, query))
                {
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                page.Add(Summary(job));
            }

            return page;
        }

        var matching = new List<Job>();
        for (var i = 0; i < org.Jobs.Count; i++)
        {
            if (org.Jobs[i] is { } job && Matches(job, query))
            {
                matching.Add(job);
            }
        }

        Comparison<Job> byKey = query.OrderBy switch
        {
            JobOrder.Priority => static (a, b) => a.Priority.CompareTo(b.Priority),
            JobOrder.UpdatedAt => static (a, b) => a.UpdatedAt.CompareTo(b.UpdatedAt),
            _ => static (a, b) => a.ScheduledAt.CompareTo(b.ScheduledAt),
        };
        var sign = query.Descending ? -1 : 1;
        matching.Sort((a, b) =>
        {
            var c = byKey(a, b);
            return sign * (c != 0 ? c : a.Seq.CompareTo(b.Seq));
        });
        for (var i = query.Offset; i < matching.Count && page.Count < query.Limit; i++)
        {
            page.Add(Summary(matching[i]));
        }

        return page;
    }

    private static bool Matches(Job job, JobQuery query)
    {
        if (query.Status is { } status && job.Status != status)
        {
            return false;
        }

        if (query.QueueName is { } queue && !string.Equals(job.Queue.Name, queue, StringComparison.Ordinal))
        {
            return false;
        }

        if (query.Tag is { } tag)
        {
            var names = job.Details?.TagNames;
            return names is not null && Array.IndexOf(names, tag) >= 0;
        }

        return true;
    }

    /// <summary>The statuses of up to 100 jobs, in the order asked; unknown ids are left out.</summary>
    public IReadOnlyList<JobSummary> GetStatuses(string orgId, IReadOnlyList<Guid> ids)
    {
        var org = Org(orgId);
        if (ids.Count > 100)
        {
            throw BrokerException.Invalid("ids", "Maximum 100 job IDs allowed per request", "length");
        }

        var result = new List<JobSummary>(ids.Count);
        foreach (var id in ids)
        {
            if (State.Jobs.TryGetValue(id, out var job) && ReferenceEquals(job.Queue.Org, org))
            {
                result.Add(Summary(job));
            }
        }

        return result;
    }

    /// <summary>
    /// Jobs (of a status, when given) created at or after <paramref name="since"/>: the enqueue list
    /// is in creation order, so the walk from its end stops at the first older job.
    /// </summary>
    public long CountCreatedSince(string orgId, long since, JobStatus? status)
    {
        var org = Org(orgId);
        long count = 0;
        for (var i = org.Jobs.Count - 1; i >= 0; i--)
        {
            if (org.Jobs[i] is not { } job)
            {
                continue;
            }

            if (job.CreatedAt < since)
            {
                break;
            }

            if (status is null || job.Status == status)
            {
                count++;
            }
        }

        return count;
    }

    public JobCounts GetCounts(string orgId) => CountsOf(Org(orgId).Counts);

    private static JobCounts CountsOf(long[] c) => new(
        c[(int)JobStatus.Pending],
        c[(int)JobStatus.Scheduled],
        c[(int)JobStatus.Processing],
        c[(int)JobStatus.Completed],
        c[(int)JobStatus.Failed],
        c[(int)JobStatus.DeadLetter],
        c[(int)JobStatus.Cancelled]);
}
