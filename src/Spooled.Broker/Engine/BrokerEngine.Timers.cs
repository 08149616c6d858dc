using Spooled.Broker.Records;
using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <content>
/// Time-driven changes. The engine runs them before every request (at the request's time) and
/// whenever its timer fires, so no request ever sees a lease that should have expired.
/// </content>
internal sealed partial class BrokerEngine
{
    private readonly List<Guid> _due = [];

    /// <summary>
    /// Promotes due jobs to their ready heaps, expires leases (one record) and unclaimed jobs past
    /// their <c>expires_at</c> (one record), and sweeps retention when it is due.
    /// </summary>
    public void RunTimers()
    {
        var timers = State.Timers;
        _due.Clear();
        while (timers.NextDue <= _now)
        {
            var job = timers.Peek();
            if (job.Status == JobStatus.Processing)
            {
                timers.Remove(job);
                _due.Add(job.Id);
            }
            else
            {
                State.Promote(job, _now);
            }
        }

        if (_due.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobIds(_buffer, RecordType.LeasesExpired, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_due));
            Commit(start);
            _due.Clear();
        }

        var expiries = State.Expiries;
        while (expiries.NextDue <= _now)
        {
            var job = expiries.Pop();
            if (State.Jobs.TryGetValue(job.Id, out var current) && ReferenceEquals(current, job)
                && job.Status is JobStatus.Pending or JobStatus.Scheduled && job.Details!.ExpiresAt <= _now && job.Details.StartedAt == 0)
            {
                _due.Add(job.Id);
            }
        }

        if (_due.Count > 0)
        {
            var start = Start();
            BrokerState.WriteJobIds(_buffer, RecordType.JobsExpired, _now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_due));
            Commit(start);
            _due.Clear();
        }

        if (State.NextRetentionDue <= _now)
        {
            var start = Start();
            BrokerState.Begin(_buffer, RecordType.RetentionSwept, _now);
            Commit(start);
        }
    }

    /// <summary>The earliest time at which <see cref="RunTimers"/> has work.</summary>
    public long NextDue => Math.Min(Math.Min(State.Timers.NextDue, State.Expiries.NextDue), State.NextRetentionDue);
}
