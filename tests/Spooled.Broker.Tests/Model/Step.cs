using System.Globalization;
using Spooled.Testing;

namespace Spooled.Broker.Tests.Model;

/// <summary>
/// One generated command. Jobs and leases are named by <see cref="Pick"/>, an index resolved against
/// the model when the step runs, so any subsequence of a sequence is still a valid sequence (which is
/// what lets FsCheck shrink by dropping steps).
/// </summary>
internal sealed record Step
{
    public static readonly string[] QueueNames = ["q0", "q1", "q2"];

    public static readonly string[] WorkerIds = ["w0", "w1", "w2"];

    public required StepKind Kind { get; init; }

    public int Queue { get; init; }

    public int Worker { get; init; }

    public int? Priority { get; init; }

    public int? MaxRetries { get; init; }

    /// <summary>Seconds from now for <c>scheduled_at</c> (negative: in the past); null sets none.</summary>
    public int? DelaySeconds { get; init; }

    public int? Key { get; init; }

    public int Limit { get; init; } = 1;

    /// <summary>Lease length, heartbeat extension or clock advance.</summary>
    public int Seconds { get; init; }

    public int Pick { get; init; }

    public AckTarget Target { get; init; }

    /// <summary>For a failure: send an empty error, which the broker must refuse.</summary>
    public bool EmptyError { get; init; }

    /// <summary>For a dead-letter retry: name jobs by id rather than by queue and limit.</summary>
    public bool ByIds { get; init; }

    /// <summary>For a dead-letter retry or purge by queue: no queue filter.</summary>
    public bool AllQueues { get; init; }

    public int Seed { get; init; }

    public CrashMode Mode { get; init; }

    /// <summary>Bulk items, or the operations of a burst.</summary>
    public IReadOnlyList<Step> Items { get; init; } = [];

    public string QueueName => QueueNames[Queue];

    public string WorkerId => WorkerIds[Worker];

    public override string ToString() => Kind switch
    {
        StepKind.Enqueue => "enqueue " + QueueName + " " + JobText(),
        StepKind.EnqueueBulk => "bulk " + QueueName + " [" + string.Join(", ", Items.Select(i => i.JobText())) + "]",
        StepKind.Claim => Invariant($"claim {QueueName} by {WorkerId} limit={Limit} lease={Seconds}s"),
        StepKind.Complete => Invariant($"complete {Target}#{Pick}"),
        StepKind.Fail => Invariant($"fail {Target}#{Pick}{(EmptyError ? " (empty error)" : "")}"),
        StepKind.Heartbeat => Invariant($"heartbeat {Target}#{Pick} +{Seconds}s"),
        StepKind.Advance => Invariant($"advance {Seconds}s"),
        StepKind.Cancel => Invariant($"cancel job#{Pick}"),
        StepKind.Retry => Invariant($"retry job#{Pick}"),
        StepKind.SetPriority => Invariant($"set-priority job#{Pick} {Priority}"),
        StepKind.RetryDeadLetter => ByIds
            ? Invariant($"dlq-retry ids job#{Pick},job#{Pick + 1}")
            : Invariant($"dlq-retry {(AllQueues ? "all" : QueueName)} limit={Limit}"),
        StepKind.PurgeDeadLetter => "dlq-purge " + (AllQueues ? "all" : QueueName),
        StepKind.Pause => "pause " + QueueName,
        StepKind.Resume => "resume " + QueueName,
        StepKind.RegisterWorker => "register " + WorkerId,
        StepKind.DeregisterWorker => "deregister " + WorkerId,
        StepKind.Snapshot => "snapshot",
        StepKind.Crash => Invariant($"crash seed={Seed} mode={Mode}"),
        StepKind.Restart => "restart",
        StepKind.Burst => "burst {" + string.Join("; ", Items) + Invariant($"}} then crash seed={Seed} mode={Mode}"),
        _ => Kind.ToString(),
    };

    private string JobText()
    {
        var text = "(prio=" + (Priority?.ToString(CultureInfo.InvariantCulture) ?? "-")
            + " max=" + (MaxRetries?.ToString(CultureInfo.InvariantCulture) ?? "-");
        if (DelaySeconds is { } delay)
        {
            text += Invariant($" at={delay:+0;-0}s");
        }

        if (Key is { } key)
        {
            text += Invariant($" key=k{key}");
        }

        return text + ")";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
