using FsCheck;
using FsCheck.Fluent;
using Spooled.Testing;

namespace Spooled.Broker.Tests.Model;

/// <summary>
/// Generators for command sequences. Values come from small pools (three queues, three workers, a
/// handful of priorities and idempotency keys) so that ties, duplicates and collisions are common.
/// </summary>
internal static class StepGenerators
{
    private static readonly Gen<int> s_queue = Gen.Frequency((5, Gen.Constant(0)), (4, Gen.Constant(1)), (1, Gen.Constant(2)));

    private static readonly Gen<int> s_worker = Gen.Choose(0, Step.WorkerIds.Length - 1);

    private static readonly Gen<int> s_pick = Gen.Choose(0, 1000);

    private static readonly Gen<int?> s_priority = Gen.Frequency(
        (3, Gen.Constant<int?>(null)),
        (6, Gen.Elements<int?>(-1, 0, 1, 5)));

    private static readonly Gen<int?> s_maxRetries = Gen.Frequency(
        (4, Gen.Constant<int?>(null)),
        (3, Gen.Constant<int?>(0)),
        (3, Gen.Elements<int?>(1, 2)));

    private static readonly Gen<int?> s_delay = Gen.Frequency(
        (7, Gen.Constant<int?>(null)),
        (3, Gen.Elements<int?>(10, 60, 600, 4000)),
        (1, Gen.Constant<int?>(-5)));

    private static readonly Gen<int?> s_key = Gen.Frequency(
        (3, Gen.Constant<int?>(null)),
        (2, Gen.Choose(0, 4).Select(k => (int?)k)));

    private static readonly Gen<AckTarget> s_target = Gen.Frequency(
        (12, Gen.Constant(AckTarget.Held)),
        (2, Gen.Constant(AckTarget.Stale)),
        (1, Gen.Constant(AckTarget.NoLease)),
        (1, Gen.Constant(AckTarget.OtherWorker)));

    private static readonly Gen<CrashMode> s_crashMode = Gen.Elements(Enum.GetValues<CrashMode>());

    /// <summary>Lease lengths around the advance sizes, so leases expire (or just survive) often.</summary>
    private static readonly Gen<int> s_leaseSeconds = Gen.Elements(5, 30, 60, 300);

    private static readonly Gen<int> s_advanceSeconds = Gen.Frequency(
        (6, Gen.Elements(1, 5, 29, 30, 31, 60)),
        (3, Gen.Elements(120, 240, 600, 3600)),
        (1, Gen.Elements(7200, 86_400, 90_000)));

    private static readonly Gen<Step> s_job =
        from priority in Gen.Frequency((30, s_priority), (1, Gen.Constant<int?>(101)))
        from maxRetries in s_maxRetries
        from delay in s_delay
        from key in s_key
        select new Step { Kind = StepKind.Enqueue, Priority = priority, MaxRetries = maxRetries, DelaySeconds = delay, Key = key };

    private static readonly Gen<Step> s_enqueue =
        from queue in s_queue
        from job in s_job.Where(j => j.Priority != 101)
        select job with { Queue = queue };

    /// <summary>Mostly a few items; now and then enough to make the broker's heaps grow (and, once drained, shrink).</summary>
    private static readonly Gen<Step> s_bulk =
        from queue in s_queue
        from count in Gen.Frequency((12, Gen.Choose(1, 4)), (1, Gen.Choose(20, 100)))
        from items in Gen.ArrayOf(s_job, count)
        select new Step { Kind = StepKind.EnqueueBulk, Queue = queue, Items = items };

    private static readonly Gen<Step> s_claim =
        from queue in s_queue
        from worker in s_worker
        from limit in Gen.Frequency((20, Gen.Choose(1, 3)), (2, Gen.Choose(10, 100)), (1, Gen.Constant(0)))
        from lease in s_leaseSeconds
        select new Step { Kind = StepKind.Claim, Queue = queue, Worker = worker, Limit = limit, Seconds = lease };

    private static readonly Gen<Step> s_complete =
        from pick in s_pick
        from target in s_target
        select new Step { Kind = StepKind.Complete, Pick = pick, Target = target };

    private static readonly Gen<Step> s_fail =
        from pick in s_pick
        from target in s_target
        from empty in Gen.Frequency((20, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Step { Kind = StepKind.Fail, Pick = pick, Target = target, EmptyError = empty };

    private static readonly Gen<Step> s_heartbeat =
        from pick in s_pick
        from target in s_target
        from seconds in Gen.Frequency((20, Gen.Elements(5, 30, 120)), (1, Gen.Constant(3)))
        select new Step { Kind = StepKind.Heartbeat, Pick = pick, Target = target, Seconds = seconds };

    private static readonly Gen<Step> s_advance = s_advanceSeconds.Select(s => new Step { Kind = StepKind.Advance, Seconds = s });

    private static readonly Gen<Step> s_jobOperation =
        from kind in Gen.Elements(StepKind.Cancel, StepKind.Retry, StepKind.SetPriority)
        from pick in s_pick
        from priority in Gen.Elements(-2, 0, 3, 7)
        select new Step { Kind = kind, Pick = pick, Priority = priority };

    private static readonly Gen<Step> s_deadLetter =
        from kind in Gen.Frequency((3, Gen.Constant(StepKind.RetryDeadLetter)), (1, Gen.Constant(StepKind.PurgeDeadLetter)))
        from queue in s_queue
        from byIds in Gen.Elements(true, false)
        from all in Gen.Elements(true, false)
        from limit in Gen.Choose(1, 3)
        from pick in s_pick
        select new Step { Kind = kind, Queue = queue, ByIds = byIds && kind == StepKind.RetryDeadLetter, AllQueues = all, Limit = limit, Pick = pick };

    private static readonly Gen<Step> s_queueOperation =
        from kind in Gen.Frequency((1, Gen.Constant(StepKind.Pause)), (2, Gen.Constant(StepKind.Resume)))
        from queue in s_queue
        select new Step { Kind = kind, Queue = queue };

    private static readonly Gen<Step> s_workerOperation =
        from kind in Gen.Frequency((1, Gen.Constant(StepKind.RegisterWorker)), (3, Gen.Constant(StepKind.DeregisterWorker)))
        from worker in s_worker
        select new Step { Kind = kind, Worker = worker };

    private static readonly Gen<Step> s_crash =
        from seed in Gen.Choose(0, 1_000_000)
        from mode in s_crashMode
        select new Step { Kind = StepKind.Crash, Seed = seed, Mode = mode };

    /// <summary>Operations a burst submits without awaiting: the ones whose loss in a crash matters.</summary>
    private static readonly Gen<Step> s_burstOperation = Gen.Frequency(
        (4, s_enqueue),
        (3, s_claim.Where(c => c.Limit > 0)),
        (4, s_complete.Where(c => c.Target == AckTarget.Held)),
        (2, s_fail.Where(f => f.Target == AckTarget.Held && !f.EmptyError)),
        (1, s_heartbeat.Where(h => h.Target == AckTarget.Held && h.Seconds >= 5)));

    private static readonly Gen<Step> s_burst =
        from count in Gen.Choose(1, 4)
        from items in Gen.ArrayOf(s_burstOperation, count)
        from seed in Gen.Choose(0, 1_000_000)
        from mode in s_crashMode
        select new Step { Kind = StepKind.Burst, Items = items, Seed = seed, Mode = mode };

    private static Gen<Step> AnyStep(bool bursts)
    {
        var steps = new List<(int, Gen<Step>)>
        {
            (16, s_enqueue),
            (3, s_bulk),
            (16, s_claim),
            (8, s_complete),
            (6, s_fail),
            (3, s_heartbeat),
            (8, s_advance),
            (4, s_jobOperation),
            (3, s_deadLetter),
            (2, s_queueOperation),
            (3, s_workerOperation),
            (1, Gen.Constant(new Step { Kind = StepKind.Snapshot })),
            (3, s_crash),
            (1, Gen.Constant(new Step { Kind = StepKind.Restart })),
        };
        if (bursts)
        {
            steps.Add((5, s_burst));
        }

        return Gen.Frequency(steps);
    }

    /// <summary>
    /// Sequences of 5 to 40 steps; with <paramref name="bursts"/>, some are unawaited bursts cut by a
    /// crash. A few enqueues come first, so that early claims find a queue with work in it.
    /// </summary>
    public static Arbitrary<StepSequence> Sequences(bool bursts)
    {
        var step = AnyStep(bursts);
        var sequence =
            from warmUp in Gen.Choose(1, 3)
            from first in Gen.ArrayOf(s_enqueue, warmUp)
            from length in Gen.Choose(5 - warmUp, 40 - warmUp)
            from rest in Gen.ArrayOf(step, length)
            select new StepSequence([.. first, .. rest]);
        return Arb.From(sequence, Shrink);
    }

    /// <summary>Drops runs of steps, longest first, then single steps.</summary>
    private static IEnumerable<StepSequence> Shrink(StepSequence sequence)
    {
        var steps = sequence.Steps;
        for (var chunk = steps.Count / 2; chunk >= 1; chunk /= 2)
        {
            for (var start = 0; start + chunk <= steps.Count; start += chunk)
            {
                var shorter = new List<Step>(steps.Count - chunk);
                shorter.AddRange(steps.Take(start));
                shorter.AddRange(steps.Skip(start + chunk));
                yield return new StepSequence(shorter);
            }
        }
    }
}
