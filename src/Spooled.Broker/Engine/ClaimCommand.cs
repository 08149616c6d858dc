namespace Spooled.Broker.Engine;

/// <summary>
/// A claim that may wait: when nothing is claimable and the request asks to wait, it parks instead
/// of answering empty, and the broker retries it whenever its queue may have become claimable,
/// until its deadline. A cancelled waiter is dropped before it can take a job, so no lease is given
/// to a caller that has gone.
/// </summary>
internal sealed class ClaimCommand(string orgId, ClaimRequest request, CancellationToken cancellation) : Command
{
    private readonly TaskCompletionSource<IReadOnlyList<ClaimedJob>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<ClaimedJob> _result = [];
    private Exception? _refusal;
    private bool _parked;

    public Task<IReadOnlyList<ClaimedJob>> Task => _completion.Task;

    public string OrgId => orgId;

    public string QueueName => request.QueueName;

    public CancellationToken Cancellation => cancellation;

    /// <summary>When a parked claim gives up and answers empty (engine clock ticks).</summary>
    public long Deadline { get; private set; }

    public override bool Parked => _parked;

    public override void Execute(BrokerEngine engine)
    {
        var records = engine.RecordCount;
        try
        {
            _result = engine.Claim(orgId, request);
            if (_result.Count == 0 && request.WaitSeconds > 0 && !cancellation.IsCancellationRequested)
            {
                _parked = true;
                Deadline = engine.Now + (request.WaitSeconds * TimeSpan.TicksPerSecond);
            }
        }
        catch (Exception error) when (engine.RecordCount == records)
        {
            _refusal = error;
        }
    }

    /// <summary>Tries again for a parked claim; true when it got jobs (it then belongs to the current group).</summary>
    public bool Retry(BrokerEngine engine)
    {
        _result = engine.Claim(orgId, request);
        if (_result.Count == 0)
        {
            return false;
        }

        _parked = false;
        return true;
    }

    /// <summary>Ends the wait with an empty answer (deadline passed).</summary>
    public void Expire() => _parked = false;

    public override void Complete()
    {
        if (_refusal is not null)
        {
            _completion.TrySetException(_refusal);
        }
        else
        {
            _completion.TrySetResult(_result);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    /// <summary>The caller went away while parked.</summary>
    public void Cancel() => _completion.TrySetCanceled(cancellation);
}
