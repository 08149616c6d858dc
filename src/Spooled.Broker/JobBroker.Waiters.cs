using Spooled.Broker.Engine;

namespace Spooled.Broker;

/// <content>
/// Long-poll claims. A parked claim waits in its queue's line (first come, first served); at the
/// end of every engine turn each line whose queue has claimable jobs is served, and a claim whose
/// deadline passed answers empty. Nothing polls: the turn that made a job claimable (an enqueue, a
/// due timer, a release, a resume) is the turn that hands it out.
/// </content>
public sealed partial class JobBroker
{
    private readonly Dictionary<(string Org, string Queue), Queue<ClaimCommand>> _waiting = [];
    private readonly PriorityQueue<ClaimCommand, long> _waitDeadlines = new();
    private readonly List<(string Org, string Queue)> _emptyLines = [];
    private int _waiterCancelled;

    private void Park(ClaimCommand claim)
    {
        var key = (claim.OrgId, claim.QueueName);
        if (!_waiting.TryGetValue(key, out var line))
        {
            _waiting[key] = line = new Queue<ClaimCommand>();
        }

        line.Enqueue(claim);
        _waitDeadlines.Enqueue(claim, claim.Deadline);
        if (claim.Cancellation.CanBeCanceled)
        {
            // Wake the engine so that it drops the waiter (and never leases a job to it).
            claim.Cancellation.UnsafeRegister(static state => ((JobBroker)state!).WaiterCancelled(), this);
        }
    }

    private void WaiterCancelled()
    {
        Volatile.Write(ref _waiterCancelled, 1);
        Wake();
    }

    /// <summary>Serves parked claims whose queue became claimable, and ends those past their deadline.</summary>
    private void ServeWaiters(List<Command> group)
    {
        Volatile.Write(ref _waiterCancelled, 0);
        if (_waiting.Count == 0)
        {
            return;
        }

        foreach (var (key, line) in _waiting)
        {
            while (line.TryPeek(out var claim))
            {
                if (!claim.Parked)
                {
                    line.Dequeue(); // Already answered (deadline).
                    continue;
                }

                if (claim.Cancellation.IsCancellationRequested)
                {
                    line.Dequeue();
                    claim.Expire();
                    claim.Cancel();
                    continue;
                }

                if (!_engine.HasClaimable(key.Org, key.Queue) || !claim.Retry(_engine))
                {
                    break;
                }

                line.Dequeue();
                group.Add(claim);
            }

            if (line.Count == 0)
            {
                _emptyLines.Add(key);
            }
        }

        foreach (var key in _emptyLines)
        {
            _waiting.Remove(key);
        }

        _emptyLines.Clear();
        while (_waitDeadlines.TryPeek(out var claim, out var deadline) && (deadline <= _engine.Now || !claim.Parked))
        {
            _waitDeadlines.Dequeue();
            if (claim.Parked)
            {
                claim.Expire();
                group.Add(claim);
            }
        }
    }

    /// <summary>The earliest parked-claim deadline, for the engine's wake timer.</summary>
    private long NextWaitDeadline
    {
        get
        {
            while (_waitDeadlines.TryPeek(out var claim, out var deadline))
            {
                if (claim.Parked)
                {
                    return deadline;
                }

                _waitDeadlines.Dequeue();
            }

            return long.MaxValue;
        }
    }

    /// <summary>Fails every parked claim (the broker stopped on an error).</summary>
    private void FailWaiters(Exception error)
    {
        foreach (var line in _waiting.Values)
        {
            foreach (var claim in line)
            {
                claim.Fail(error);
            }
        }

        _waiting.Clear();
        _waitDeadlines.Clear();
    }

    /// <summary>Answers every parked claim empty (shutdown).</summary>
    private void ReleaseWaiters(List<Command> group)
    {
        foreach (var line in _waiting.Values)
        {
            foreach (var claim in line)
            {
                if (claim.Parked)
                {
                    claim.Expire();
                    group.Add(claim);
                }
            }
        }

        _waiting.Clear();
        _waitDeadlines.Clear();
    }
}
