using Spooled.Broker;
using Spooled.Broker.Events;
using Spooled.Http.Errors;

namespace Spooled.Http.Realtime;

/// <summary>
/// Which events a stream wants: by queue, job, worker and type. Types may be given as the wire's
/// PascalCase names (<c>JobCreated</c>) or the SDKs' dotted ones (<c>job.created</c>,
/// <c>job.status_changed</c>), comma-separated; <c>*</c> or nothing means all.
/// </summary>
internal sealed class EventFilter
{
    private static readonly Dictionary<string, string> s_types = BuildTypes();

    private HashSet<string>? _types;

    // The broker event kinds wanted, one bit per BrokerEventKind: every stream tests every event of
    // its organization, so the test must not look a string up.
    private uint _kinds = uint.MaxValue;

    // The broker's instance of the queue's name, once an event matched: then equal names compare
    // by reference (a thousand streams test every event of their organization).
    private string? _queueSeen;

    public string? Queue { get; init; }

    public Guid? JobId { get; init; }

    public string? WorkerId { get; init; }

    /// <summary>Reads <c>queue</c>, <c>job_id</c>, <c>worker_id</c> and <c>events</c>; a value that cannot match is a 400.</summary>
    public static EventFilter FromQuery(IQueryCollection query) =>
        Create(Value(query, "queue"), Value(query, "job_id"), Value(query, "worker_id"), Value(query, "events"));

    /// <summary>Builds a filter from its parts (each may be null), or throws 400 naming the bad one.</summary>
    public static EventFilter Create(string? queue, string? jobId, string? workerId, string? events)
    {
        if (queue is not null && !QueueNames.IsValid(queue))
        {
            throw ApiException.Invalid("queue", "queue must be a valid queue name");
        }

        Guid? job = null;
        if (jobId is not null)
        {
            job = Guid.TryParse(jobId, out var parsed) ? parsed : throw ApiException.Invalid("job_id", "job_id must be a UUID");
        }

        if (workerId is { Length: 0 or > 255 })
        {
            throw ApiException.Invalid("worker_id", "worker_id must be 1-255 characters");
        }

        var types = ParseTypes(events);
        return new EventFilter { Queue = queue, JobId = job, WorkerId = workerId, _types = types, _kinds = KindsOf(types) };
    }

    /// <summary>Whether a broker event passes.</summary>
    public bool Matches(BrokerEvent e) =>
        (Queue is null || SameQueue(e.QueueName))
        && (JobId is null || JobId == e.JobId)
        && (WorkerId is null || string.Equals(WorkerId, e.WorkerId, StringComparison.Ordinal))
        && (_kinds & (1u << (int)e.Kind)) != 0;

    /// <summary>Whether events of this wire type are wanted (for the events a stream makes itself: stats, health).</summary>
    public bool Wants(string type) => _types is null || _types.Contains(type);

    private static HashSet<string>? ParseTypes(string? events)
    {
        if (events is null)
        {
            return null;
        }

        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "*")
            {
                return null;
            }

            types.Add(s_types.TryGetValue(name, out var type) ? type : throw ApiException.Invalid("events", $"'{name}' is not an event type"));
        }

        return types.Count == 0 ? null : types;
    }

    private bool SameQueue(string? name)
    {
        if (name is not null && ReferenceEquals(name, _queueSeen))
        {
            return true;
        }

        if (!string.Equals(Queue, name, StringComparison.Ordinal))
        {
            return false;
        }

        _queueSeen = name;
        return true;
    }

    private static uint KindsOf(HashSet<string>? types)
    {
        if (types is null)
        {
            return uint.MaxValue;
        }

        var kinds = 0u;
        foreach (var kind in Enum.GetValues<BrokerEventKind>())
        {
            kinds |= types.Contains(kind.ToString()) ? 1u << (int)kind : 0;
        }

        return kinds;
    }

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value[^1] : null;

    private static Dictionary<string, string> BuildTypes()
    {
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string type, params string[] dotted)
        {
            types[type] = type;
            foreach (var name in dotted)
            {
                types[name] = type;
            }
        }

        Add("JobStatusChange", "job.status", "job.status_changed", "job.status_change");
        Add("JobCreated", "job.created");
        Add("JobCompleted", "job.completed");
        Add("JobFailed", "job.failed");
        Add("QueueStats", "queue.stats");
        Add("QueuePaused", "queue.paused");
        Add("QueueResumed", "queue.resumed");
        Add("WorkerHeartbeat", "worker.heartbeat");
        Add("WorkerRegistered", "worker.registered");
        Add("WorkerDeregistered", "worker.deregistered");
        Add("SystemHealth", "system.health");
        Add("Ping", "ping");
        Add("Error", "error");
        return types;
    }
}
