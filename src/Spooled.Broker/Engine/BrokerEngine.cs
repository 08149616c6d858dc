using Spooled.Broker.Records;
using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <summary>
/// Decides every change on the broker's single thread: validates a request against the state,
/// writes the record that describes the change into the current group, and applies that same
/// record at once (so later requests in the group see it). The group is appended to the log as one
/// batch and nobody hears of a change before the log says it is durable.
/// </summary>
internal sealed partial class BrokerEngine
{
    private readonly BrokerOptions _options;
    private readonly RecordBuffer _buffer = new();
    private readonly List<(int Start, int Length)> _records = [];
    private readonly RandomIds _ids = new();
    private long _now;

    public BrokerEngine(BrokerState state, BrokerOptions options)
    {
        State = state;
        _options = options;
        _now = state.Clock;
    }

    public BrokerState State { get; }

    /// <summary>The time of the decision being made (monotonic, never behind a record already written).</summary>
    public long Now => _now;

    /// <summary>Records written in the current group.</summary>
    public int RecordCount => _records.Count;

    /// <summary>Bytes written in the current group.</summary>
    public int GroupBytes => _buffer.Length;

    /// <summary>Advances the decision clock; the clock never runs backwards even if the system's does.</summary>
    public void Tick()
    {
        var now = _options.TimeProvider.GetUtcNow().UtcTicks;
        if (now > _now)
        {
            _now = now;
        }
    }

    /// <summary>Starts a record at the end of the group; returns where it starts.</summary>
    private int Start() => _buffer.Length;

    /// <summary>Applies the record written since <paramref name="start"/> and keeps it for the log.</summary>
    private void Commit(int start)
    {
        var length = _buffer.Length - start;
        State.Apply(_buffer.Span(start, length));
        _records.Add((start, length));
    }

    /// <summary>Commits a record whose jobs the engine has already found, in the record's order.</summary>
    private void Commit(int start, Job[] jobs, int count)
    {
        State.Resolved(jobs, count);
        try
        {
            Commit(start);
        }
        finally
        {
            State.ForgetResolved();
        }
    }

    /// <summary>The group's records as slices of the buffer, valid until <see cref="ClearGroup"/>.</summary>
    public void CollectGroup(List<ReadOnlyMemory<byte>> into)
    {
        foreach (var (start, length) in _records)
        {
            into.Add(_buffer.Slice(start, length));
        }
    }

    public void ClearGroup()
    {
        _records.Clear();
        _buffer.Clear();
    }

    private OrgState Org(string orgId) =>
        State.Orgs.TryGetValue(orgId, out var org) ? org : throw BrokerException.NotFound("Organization");

    /// <summary>A job of the organization, or not found (another tenant's job is not found either).</summary>
    private Job JobOf(OrgState org, Guid id) =>
        State.Jobs.TryGetValue(id, out var job) && ReferenceEquals(job.Queue.Org, org) ? job : throw BrokerException.NotFound("Job");

    private static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? ToOptionalTime(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
