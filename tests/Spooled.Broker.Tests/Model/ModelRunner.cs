using Spooled.Broker.Tests.Support;
using Xunit.Sdk;

namespace Spooled.Broker.Tests.Model;

/// <summary>
/// Runs one command sequence against a real broker (simulated disk, fake clock) and the reference
/// model side by side. Every step's answer is compared with the model's, the invariants are
/// asserted one by one, and the whole observable state is compared after every step.
/// </summary>
internal sealed class ModelRunner : IAsyncDisposable
{
    private readonly BrokerFixture _fx = new();
    private BrokerModel _model = null!;
    private string _org = "";
    private int _nextN = 1;
    private int _recoveries;
    private bool _recovered;

    private JobBroker Broker => _fx.Broker;

    private DateTimeOffset Now => _fx.Clock.GetUtcNow();

    /// <summary>Runs the sequence to the end or throws, naming the step that broke the model.</summary>
    /// <remarks>A sequence takes milliseconds; the bound turns a broker that stops answering into a failure, not a hung run.</remarks>
    public static void Run(StepSequence sequence)
    {
        try
        {
            RunAsync(sequence).WaitAsync(TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            throw new XunitException("The broker stopped answering: the sequence did not finish within a minute.");
        }
    }

    private static async Task RunAsync(StepSequence sequence)
    {
        await using var runner = new ModelRunner();
        runner._org = await runner._fx.CreateOrgAsync();
        runner._model = new BrokerModel(runner.Now);

        // Two of the three workers start registered, so deregistration usually finds its worker
        // (and often releases jobs) while the third still exercises the unknown-worker refusal.
        foreach (var worker in Step.WorkerIds.Take(2))
        {
            await runner.Broker.RegisterWorkerAsync(runner._org, new WorkerRegistration { WorkerId = worker, QueueName = Step.QueueNames[0], Hostname = "model-host" });
            runner._model.RegisterWorker(worker);
        }
        for (var i = 0; i < sequence.Steps.Count; i++)
        {
            var step = sequence.Steps[i];
            try
            {
                await runner.StepAsync(step);
                await runner.VerifyAsync();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                throw new XunitException($"Step {i + 1} ({step}) broke the model: {error.Message}", error);
            }
        }
    }

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private Task StepAsync(Step step) => step.Kind switch
    {
        StepKind.Enqueue => EnqueueAsync(step),
        StepKind.EnqueueBulk => EnqueueBulkAsync(step),
        StepKind.Claim => ClaimAsync(step),
        StepKind.Complete => CompleteAsync(step),
        StepKind.Fail => FailAsync(step),
        StepKind.Heartbeat => HeartbeatAsync(step),
        StepKind.Advance => AdvanceAsync(step),
        StepKind.Cancel => CancelAsync(step),
        StepKind.Retry => RetryAsync(step),
        StepKind.SetPriority => SetPriorityAsync(step),
        StepKind.RetryDeadLetter => RetryDeadLetterAsync(step),
        StepKind.PurgeDeadLetter => PurgeDeadLetterAsync(step),
        StepKind.Pause => PauseAsync(step),
        StepKind.Resume => ResumeAsync(step),
        StepKind.RegisterWorker => RegisterWorkerAsync(step),
        StepKind.DeregisterWorker => DeregisterWorkerAsync(step),
        StepKind.Snapshot => SnapshotAsync(),
        StepKind.Crash => CrashAsync(step),
        StepKind.Restart => RestartAsync(),
        StepKind.Burst => BurstAsync(step),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "unknown step"),
    };

    private JobSpec Spec(Step item, int n, string? queue) => new()
    {
        QueueName = queue,
        Payload = ObservedState.Payload(n),
        Priority = item.Priority,
        MaxRetries = item.MaxRetries,
        ScheduledAt = item.DelaySeconds is { } delay ? Now.AddSeconds(delay) : null,
        IdempotencyKey = item.Key is { } key ? "k" + key : null,
    };

    private async Task EnqueueAsync(Step step)
    {
        var n = _nextN++;
        var spec = Spec(step, n, step.QueueName);
        var original = spec.IdempotencyKey is { } key ? _model.Keys.GetValueOrDefault(key) : null;
        var (result, refusal) = await Attempt(Broker.EnqueueAsync(_org, spec));
        Same(null, refusal, "enqueue");
        var (job, created) = _model.Enqueue(n, step.QueueName, spec.Priority, spec.MaxRetries, spec.ScheduledAt, spec.IdempotencyKey, result.Id);
        if (original is not null)
        {
            Assert.True(
                result.Id == original.Id && !result.Created,
                $"Idempotency: a duplicate key {spec.IdempotencyKey} must return the original {original} with Created=false "
                + $"(after {_recoveries} crash(es)/restart(s)); the broker answered {result}");
        }

        Assert.True(result.Created == created && result.Id == job.Id, $"enqueue: the broker answered {result}, the model expects ({job.Id}, {created})");
    }

    private async Task EnqueueBulkAsync(Step step)
    {
        var numbers = step.Items.Select(_ => _nextN++).ToList();
        var specs = step.Items.Select((item, i) => Spec(item, numbers[i], null)).ToList();
        var (result, refusal) = await Attempt(Broker.EnqueueBulkAsync(_org, new BulkEnqueueRequest { QueueName = step.QueueName, Jobs = specs }));
        Same(null, refusal, "bulk enqueue");
        var answered = result!.Succeeded.ToDictionary(r => r.Index);
        var expected = _model.EnqueueBulk(step.QueueName, specs, numbers, i => answered.TryGetValue(i, out var r) && r.Created ? r.JobId!.Value : Guid.Empty);
        var failed = expected.Where(e => e.Job is null).Select(e => e.Index).ToList();
        Assert.True(
            result.Failed.Select(f => f.Index).SequenceEqual(failed),
            $"bulk enqueue: the broker refused items [{string.Join(", ", result.Failed.Select(f => f.Index))}], the model [{string.Join(", ", failed)}]");
        foreach (var (index, job, created) in expected.Where(e => e.Job is not null))
        {
            Assert.True(
                answered.TryGetValue(index, out var item) && item.Created == created && item.JobId == job!.Id,
                $"bulk enqueue item {index}: the broker answered {item}, the model expects ({job!.Id}, {created})");
        }
    }

    private async Task ClaimAsync(Step step)
    {
        var ready = _model.Ready(step.QueueName);
        var paused = _model.Paused.Contains(step.QueueName);
        var request = new ClaimRequest { QueueName = step.QueueName, WorkerId = step.WorkerId, Limit = step.Limit, LeaseSeconds = step.Seconds };
        var (claimed, refusal) = await Attempt(Broker.ClaimAsync(_org, request));
        var (expectedRefusal, expected) = _model.Claim(step.QueueName, step.WorkerId, step.Limit, step.Seconds);
        Same(expectedRefusal, refusal, "claim");
        if (refusal is not null)
        {
            return;
        }

        // What the worker now holds comes from the broker's answer, so the lease invariant is
        // checked on what was handed out even if the model got it wrong.
        foreach (var job in claimed!)
        {
            _model.Claims.Add(new ModelClaim { JobN = _model.Find(job.Id)?.N ?? -1, JobId = job.Id, Worker = step.WorkerId, LeaseId = job.LeaseId, ExpiresAt = job.LeaseExpiresAt });
        }

        CheckOneValidLeasePerJob();
        CheckClaimOrder(ready, claimed, paused, step.Limit);
        Assert.True(
            claimed.Select(c => c.Id).SequenceEqual(expected.Select(j => j.Id)),
            $"claim must return exactly the jobs the model predicts, in order: broker [{string.Join(", ", claimed.Select(c => c.Id))}], model [{string.Join(", ", expected)}]");
        for (var i = 0; i < claimed.Count; i++)
        {
            var got = claimed[i];
            var job = expected[i];
            Assert.True(
                got.LeaseExpiresAt == Now.AddSeconds(step.Seconds) && got.RetryCount == job.RetryCount && got.Priority == job.Priority
                    && got.MaxRetries == job.MaxRetries && got.QueueName == job.Queue && ObservedState.PayloadNumber(got.Payload) == job.N,
                $"claimed {job}: the broker handed out {got}");
            job.LeaseId = got.LeaseId;
        }
    }

    /// <summary>Claim order: highest priority first, then enqueue order; never a better ready job left behind.</summary>
    private static void CheckClaimOrder(List<ModelJob> ready, IReadOnlyList<ClaimedJob> claimed, bool paused, int limit)
    {
        static bool Before(ModelJob a, ModelJob b) => a.Priority != b.Priority ? a.Priority > b.Priority : a.Seq < b.Seq;

        if (paused)
        {
            Assert.True(claimed.Count == 0, "a paused queue must hand out nothing");
            return;
        }

        var taken = new List<ModelJob>();
        foreach (var got in claimed)
        {
            var job = ready.FirstOrDefault(j => j.Id == got.Id);
            Assert.True(job is not null, $"claim handed out {got.Id}, which was not ready (pending and due) in its queue");
            taken.Add(job);
        }

        for (var i = 1; i < taken.Count; i++)
        {
            Assert.True(Before(taken[i - 1], taken[i]), $"claim order must be highest priority first, then FIFO: {taken[i - 1]} (prio {taken[i - 1].Priority}) came before {taken[i]} (prio {taken[i].Priority})");
        }

        foreach (var left in ready.Except(taken))
        {
            Assert.True(taken.Count == limit, $"claim returned {taken.Count} of {limit} while {left} was ready");
            Assert.True(Before(taken[^1], left), $"claim order: {left} (prio {left.Priority}) was left behind for {taken[^1]} (prio {taken[^1].Priority})");
        }
    }

    /// <summary>The job, lease and worker an acknowledgement presents, resolved from what the workers hold.</summary>
    private (Guid JobId, Guid? LeaseId, string Worker, ModelJob? Job) ResolveAck(Step step)
    {
        var active = _model.Claims.Where(c => c.Active).ToList();
        var ended = _model.Claims.Where(c => !c.Active).ToList();
        var pool = step.Target == AckTarget.Stale ? ended : active;
        if (pool.Count == 0)
        {
            var id = JobByPick(step.Pick);
            return (id, new Guid(step.Pick, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), Step.WorkerIds[0], _model.Find(id));
        }

        var claim = pool[step.Pick % pool.Count];
        var job = _model.Find(claim.JobId);
        return step.Target switch
        {
            AckTarget.NoLease => (claim.JobId, null, claim.Worker, job),
            AckTarget.OtherWorker => (claim.JobId, claim.LeaseId, Step.WorkerIds[(Array.IndexOf(Step.WorkerIds, claim.Worker) + 1) % Step.WorkerIds.Length], job),
            _ => (claim.JobId, claim.LeaseId, claim.Worker, job),
        };
    }

    /// <summary>
    /// Mostly a job the operation can apply to (when <paramref name="fits"/> finds one), else any job
    /// ever enqueued (removed ones included), or now and then an id that never existed.
    /// </summary>
    private Guid JobByPick(int pick, Func<ModelJob, bool>? fits = null)
    {
        var known = _model.Jobs.Where(j => j.Id != Guid.Empty).ToList();
        var fitting = fits is null ? [] : known.Where(j => !j.Gone && fits(j)).ToList();
        if (fitting.Count > 0 && pick % 4 != 0)
        {
            return fitting[pick / 4 % fitting.Count].Id;
        }

        var index = pick % (known.Count + 1);
        return index < known.Count ? known[index].Id : new Guid(pick, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
    }

    private static bool IsWaiting(ModelJob job) => job.IsWaiting;

    private static bool IsDeadLettered(ModelJob job) => job.Status == JobStatus.DeadLetter;

    private async Task CompleteAsync(Step step)
    {
        var (jobId, leaseId, worker, job) = ResolveAck(step);
        var result = ObservedState.Result(job?.N ?? 0);
        var (_, refusal) = await Attempt(Broker.CompleteAsync(_org, jobId, worker, leaseId, result));
        Same(_model.Complete(jobId, worker, leaseId, result), refusal, "complete");
    }

    private async Task FailAsync(Step step)
    {
        var (jobId, leaseId, worker, job) = ResolveAck(step);
        var before = job?.Clone();
        var error = step.EmptyError ? "" : "boom " + step.Pick;
        var (outcome, refusal) = await Attempt(Broker.FailAsync(_org, jobId, worker, leaseId, error));
        var (expectedRefusal, expected) = _model.Fail(jobId, worker, leaseId, error);
        Same(expectedRefusal, refusal, "fail");
        if (refusal is not null)
        {
            return;
        }

        // Retry and backoff arithmetic, straight from the rule rather than from the model.
        var retry = before!.RetryCount < before.MaxRetries;
        Assert.True(outcome!.RetryCount == before.RetryCount + 1, $"a failed attempt counts one retry: {before} had {before.RetryCount}, the broker says {outcome.RetryCount}");
        Assert.True(outcome.WillRetry == retry, $"a failure with retries left ({before.RetryCount} < {before.MaxRetries}) must retry, else dead-letter; the broker says WillRetry={outcome.WillRetry}");
        var view = await Broker.GetJobAsync(_org, jobId);
        if (retry)
        {
            var due = Now + TimeSpan.FromSeconds(Math.Min(60 * Math.Pow(2, before.RetryCount), 3600));
            Assert.True(outcome.NextAttemptAt == due, $"backoff: after {before.RetryCount} failed attempt(s) the retry is due at now + min(60 s * 2^{before.RetryCount}, 3600 s) = {due:O}; the broker says {outcome.NextAttemptAt:O}");
            Assert.True(view is { Status: JobStatus.Pending } && view.ScheduledAt == due, $"a failed attempt with retries left goes to pending at {due:O}; the broker has {view?.Status} at {view?.ScheduledAt:O}");
        }
        else
        {
            Assert.True(outcome.NextAttemptAt is null && view is { Status: JobStatus.DeadLetter }, $"a failed attempt without retries left goes to deadletter; the broker has {view?.Status}");
        }

        Assert.True(outcome == expected, $"fail: the broker answered {outcome}, the model {expected}");
    }

    private async Task HeartbeatAsync(Step step)
    {
        var (jobId, leaseId, worker, _) = ResolveAck(step);
        var (until, refusal) = await Attempt(Broker.HeartbeatAsync(_org, jobId, worker, leaseId, step.Seconds));
        var (expectedRefusal, expected) = _model.Heartbeat(jobId, worker, leaseId, step.Seconds);
        Same(expectedRefusal, refusal, "heartbeat");
        Assert.True(refusal is not null || until == expected, $"heartbeat: the lease must now run to {expected:O}; the broker says {until:O}");
    }

    private async Task AdvanceAsync(Step step)
    {
        var by = TimeSpan.FromSeconds(step.Seconds);
        var expiring = _model.Jobs.Where(j => !j.Gone && j.Status == JobStatus.Processing && j.LeaseExpiresAt <= _model.Now + by).Select(j => j.Clone()).ToList();
        await _fx.AdvanceAsync(by);
        _model.Advance(by);
        Assert.True(Now == _model.Now, "the model's clock follows the fake clock");
        foreach (var before in expiring)
        {
            var view = await Broker.GetJobAsync(_org, before.Id);
            Assert.True(view is not null, $"a job whose lease expired must not be lost: {before}");
            Assert.True(view.RetryCount == before.RetryCount + 1, $"a lease expiry counts an attempt: {before} had retry_count {before.RetryCount}, now {view.RetryCount}");
            Assert.True(view.LeaseId is null, $"an expired lease is cleared: {before} still has lease {view.LeaseId}");
            if (before.RetryCount < before.MaxRetries)
            {
                Assert.True(
                    view.Status == JobStatus.Pending && view.LastError == BrokerModel.LeaseExpiredError && view.ScheduledAt >= before.LeaseExpiresAt && view.ScheduledAt <= Now,
                    $"an expired lease with retries left is redelivered at once with last_error \"{BrokerModel.LeaseExpiredError}\": {before} is {view.Status}, \"{view.LastError}\", due {view.ScheduledAt:O}");
            }
            else
            {
                Assert.True(view.Status == JobStatus.DeadLetter, $"an expired lease with retry_count >= max_retries dead-letters: {before} is {view.Status}");
            }
        }
    }

    private async Task CancelAsync(Step step)
    {
        var id = JobByPick(step.Pick, IsWaiting);
        var (_, refusal) = await Attempt(Broker.CancelAsync(_org, id));
        Same(_model.Cancel(id), refusal, "cancel");
    }

    private async Task RetryAsync(Step step)
    {
        var id = JobByPick(step.Pick, IsDeadLettered);
        var (view, refusal) = await Attempt(Broker.RetryAsync(_org, id));
        Same(_model.Retry(id), refusal, "retry");
        Assert.True(refusal is not null || view is { Status: JobStatus.Pending, RetryCount: 0, LastError: null }, $"a retried job starts over as pending with no attempts counted; the broker answered {view?.Status}, {view?.RetryCount}");
    }

    private async Task SetPriorityAsync(Step step)
    {
        var id = JobByPick(step.Pick, IsWaiting);
        var priority = step.Priority!.Value;
        var (change, refusal) = await Attempt(Broker.SetPriorityAsync(_org, id, priority));
        var (expectedRefusal, old) = _model.SetPriority(id, priority);
        Same(expectedRefusal, refusal, "set priority");
        Assert.True(refusal is not null || change == new PriorityChange(id, old, priority), $"set priority: the broker answered {change}, the model ({old} → {priority})");
    }

    private async Task RetryDeadLetterAsync(Step step)
    {
        IReadOnlyList<Guid>? ids = step.ByIds ? [JobByPick(step.Pick, IsDeadLettered), JobByPick(step.Pick + 1, IsDeadLettered)] : null;
        var queue = step.ByIds || step.AllQueues ? null : step.QueueName;
        var request = new DeadLetterRetry { JobIds = ids, QueueName = queue, Limit = step.Limit };
        var (retried, refusal) = await Attempt(Broker.RetryDeadLetterAsync(_org, request));
        Same(null, refusal, "dead-letter retry");
        var expected = _model.RetryDeadLetter(ids, queue, step.Limit);
        Assert.True(retried!.SequenceEqual(expected.Select(j => j.Id)), $"dead-letter retry: the broker retried [{string.Join(", ", retried!)}], the model [{string.Join(", ", expected)}]");
        foreach (var id in retried!)
        {
            var view = await Broker.GetJobAsync(_org, id);
            Assert.True(
                view is { Status: JobStatus.Pending, RetryCount: 0, LastError: null, ScheduledAt: null },
                $"a job retried from the dead-letter queue is pending at once with a fresh attempt budget; {id} is {view?.Status}, retry_count {view?.RetryCount}");
        }
    }

    private async Task PurgeDeadLetterAsync(Step step)
    {
        var queue = step.AllQueues ? null : step.QueueName;
        var doomed = _model.Jobs.Where(j => !j.Gone && j.Status == JobStatus.DeadLetter && (queue is null || j.Queue == queue)).ToList();
        var (purged, refusal) = await Attempt(Broker.PurgeDeadLetterAsync(_org, new DeadLetterPurge { QueueName = queue }));
        Same(null, refusal, "dead-letter purge");
        Assert.True(purged == _model.PurgeDeadLetter(queue), $"dead-letter purge: the broker purged {purged}, the model {doomed.Count}");
        foreach (var job in doomed)
        {
            Assert.True(await Broker.GetJobAsync(_org, job.Id) is null, $"a purged dead-lettered job is gone: {job}");
        }
    }

    private async Task PauseAsync(Step step)
    {
        var (state, refusal) = await Attempt(Broker.PauseQueueAsync(_org, step.QueueName, "model test"));
        Same(null, refusal, "pause");
        _model.Pause(step.QueueName);
        Assert.True(state!.Paused, "pause answers paused");
    }

    private async Task ResumeAsync(Step step)
    {
        var (state, refusal) = await Attempt(Broker.ResumeQueueAsync(_org, step.QueueName));
        Same(_model.Resume(step.QueueName), refusal, "resume");
        Assert.True(refusal is not null || !state!.Paused, "resume answers not paused");
    }

    private async Task RegisterWorkerAsync(Step step)
    {
        var registration = new WorkerRegistration { WorkerId = step.WorkerId, QueueName = Step.QueueNames[0], Hostname = "model-host" };
        var (_, refusal) = await Attempt(Broker.RegisterWorkerAsync(_org, registration));
        Same(null, refusal, "register worker");
        _model.RegisterWorker(step.WorkerId);
    }

    private async Task DeregisterWorkerAsync(Step step)
    {
        var held = _model.Jobs.Where(j => !j.Gone && j.Status == JobStatus.Processing && j.Worker == step.WorkerId).Select(j => j.Clone()).ToList();
        var (released, refusal) = await Attempt(Broker.DeregisterWorkerAsync(_org, step.WorkerId));
        var (expectedRefusal, expected) = _model.DeregisterWorker(step.WorkerId);
        Same(expectedRefusal, refusal, "deregister worker");
        if (refusal is not null)
        {
            return;
        }

        Assert.True(released == expected, $"deregister releases the worker's {expected} job(s); the broker says {released}");
        foreach (var before in held)
        {
            var view = await Broker.GetJobAsync(_org, before.Id);
            Assert.True(
                view is { Status: JobStatus.Pending, LeaseId: null, ScheduledAt: null } && view.RetryCount == before.RetryCount,
                $"deregistration releases {before} to pending at once without counting an attempt; it is {view?.Status}, retry_count {view?.RetryCount} (was {before.RetryCount}), due {view?.ScheduledAt:O}");
        }
    }

    private async Task SnapshotAsync() => await Broker.SnapshotAsync();

    private async Task CrashAsync(Step step)
    {
        await _fx.CrashAsync(step.Seed, step.Mode);
        _recoveries++;
        _recovered = true;
    }

    private async Task RestartAsync()
    {
        await _fx.RestartAsync();
        _recoveries++;
        _recovered = true;
    }

    /// <summary>
    /// Submits a few operations without awaiting them, then pulls the plug. An operation whose answer
    /// arrived must have survived; the others may or may not have, but the log keeps a prefix, so the
    /// recovered state must be the model after some prefix of the burst that includes every answered
    /// operation. Workers then retry the acknowledgements whose answers they never got, as real ones
    /// would: a completion that did land is refused (never applied twice), one that was lost goes through.
    /// </summary>
    private async Task BurstAsync(Step step)
    {
        var submitted = new List<BurstOperation>();
        foreach (var op in step.Items)
        {
            if (Submit(op) is { } operation)
            {
                submitted.Add(operation);
            }
        }

        await _fx.CrashAsync(step.Seed, step.Mode);
        _recoveries++;
        _recovered = true;
        var all = Task.WhenAll(submitted.Select(o => o.Task));
        await Task.WhenAny(all).WaitAsync(TimeSpan.FromSeconds(30));
        // A claim is answered once everything before it is durable, not its own lease, so an answered
        // claim may still be lost (its jobs are then pending again); every other answer means the
        // operation survived, and with it, in log order, everything before it.
        var answered = submitted.FindLastIndex(o => o.Answered && o.Step.Kind != StepKind.Claim) + 1;

        // The model after each prefix of the burst: states[p] has the first p operations applied.
        var states = new List<BrokerModel> { _model.Clone() };
        foreach (var operation in submitted)
        {
            var next = states[^1].Clone();
            ApplyBurst(next, operation);
            states.Add(next);
        }

        var observed = await ObserveAsync();
        var matched = -1;
        for (var p = states.Count - 1; p >= 0 && matched < 0; p--)
        {
            if (states[p].Differences(observed).Count == 0)
            {
                matched = p;
            }
        }

        var outcomes = string.Join("; ", submitted);
        if (matched < 0)
        {
            var report = string.Join(Environment.NewLine, states.Select((s, p) => $"  after {p} op(s): {string.Join(" | ", s.Differences(observed))}"));
            Assert.Fail($"after a crash mid-burst the state must be the model after some prefix of the burst (each enqueue fully present or absent, never a lost or duplicated completion). Burst: {outcomes}{Environment.NewLine}{report}");
        }

        Assert.True(matched >= answered, $"an acknowledged operation was lost in the crash: the state matches only the first {matched} of {submitted.Count} operation(s), but the first {answered} were answered. Burst: {outcomes}");
        _model = states[matched];
        _model.Adopt(observed);

        for (var i = 0; i < submitted.Count; i++)
        {
            var operation = submitted[i];
            if (operation.Answered || operation.Step.Kind is not (StepKind.Complete or StepKind.Fail or StepKind.Heartbeat))
            {
                continue;
            }

            var landed = i < matched;
            var status = _model.Find(operation.JobId)?.Status;
            if (operation.Step.Kind == StepKind.Complete)
            {
                var (_, refusal) = await Attempt(Broker.CompleteAsync(_org, operation.JobId, operation.Worker, operation.LeaseId, operation.Result));
                var expected = _model.Complete(operation.JobId, operation.Worker, operation.LeaseId, operation.Result);
                Assert.True(
                    !landed || status != JobStatus.Completed || refusal == BrokerErrorCode.LeaseExpired,
                    $"a completion that survived the crash must never be accepted twice; the retry was answered {Show(refusal)}");
                Same(expected, refusal, "completion retried after a crash");
            }
            else if (operation.Step.Kind == StepKind.Fail)
            {
                var (_, refusal) = await Attempt(Broker.FailAsync(_org, operation.JobId, operation.Worker, operation.LeaseId, operation.Error));
                Same(_model.Fail(operation.JobId, operation.Worker, operation.LeaseId, operation.Error).Refusal, refusal, "failure retried after a crash");
            }
            else
            {
                var (_, refusal) = await Attempt(Broker.HeartbeatAsync(_org, operation.JobId, operation.Worker, operation.LeaseId, operation.Step.Seconds));
                Same(_model.Heartbeat(operation.JobId, operation.Worker, operation.LeaseId, operation.Step.Seconds).Refusal, refusal, "heartbeat retried after a crash");
            }
        }
    }

    private BurstOperation? Submit(Step op)
    {
        switch (op.Kind)
        {
            case StepKind.Enqueue:
                var n = _nextN++;
                var spec = Spec(op, n, op.QueueName);
                return new BurstOperation { Step = op, Task = Broker.EnqueueAsync(_org, spec), N = n, Spec = spec };
            case StepKind.Claim:
                var request = new ClaimRequest { QueueName = op.QueueName, WorkerId = op.WorkerId, Limit = op.Limit, LeaseSeconds = op.Seconds };
                return new BurstOperation { Step = op, Task = Broker.ClaimAsync(_org, request), Claim = request };
            default:
                var active = _model.Claims.Where(c => c.Active).ToList();
                if (active.Count == 0)
                {
                    return null;
                }

                var claim = active[op.Pick % active.Count];
                var result = ObservedState.Result(claim.JobN);
                var error = "boom " + op.Pick;
                Task task = op.Kind switch
                {
                    StepKind.Complete => Broker.CompleteAsync(_org, claim.JobId, claim.Worker, claim.LeaseId, result),
                    StepKind.Fail => Broker.FailAsync(_org, claim.JobId, claim.Worker, claim.LeaseId, error),
                    _ => Broker.HeartbeatAsync(_org, claim.JobId, claim.Worker, claim.LeaseId, op.Seconds),
                };
                return new BurstOperation { Step = op, Task = task, JobId = claim.JobId, LeaseId = claim.LeaseId, Worker = claim.Worker, Result = result, Error = error };
        }
    }

    /// <summary>Applies one burst operation to a model; where the broker's answer arrived it must be the model's.</summary>
    private static void ApplyBurst(BrokerModel model, BurstOperation operation)
    {
        var step = operation.Step;
        switch (step.Kind)
        {
            case StepKind.Enqueue:
                var spec = operation.Spec!;
                var id = operation.Succeeded ? operation.ResultOf<EnqueueResult>().Id : Guid.Empty;
                var (job, created) = model.Enqueue(operation.N, step.QueueName, spec.Priority, spec.MaxRetries, spec.ScheduledAt, spec.IdempotencyKey, id);
                if (operation.Succeeded)
                {
                    var answer = operation.ResultOf<EnqueueResult>();
                    Assert.True(answer.Created == created && answer.Id == job.Id, $"burst enqueue: the broker answered {answer}, the model ({job.Id}, {created})");
                }

                break;
            case StepKind.Claim:
                var (_, jobs) = model.Claim(step.QueueName, step.WorkerId, step.Limit, step.Seconds);
                if (operation.Succeeded)
                {
                    var claimed = operation.ResultOf<IReadOnlyList<ClaimedJob>>();
                    Assert.True(claimed.Count == jobs.Count, $"burst claim: the broker handed out {claimed.Count} job(s), the model {jobs.Count}");
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        if (jobs[i].Id == Guid.Empty)
                        {
                            jobs[i].Id = claimed[i].Id;
                        }

                        Assert.True(jobs[i].Id == claimed[i].Id, $"burst claim: the broker handed out {claimed[i].Id}, the model {jobs[i]}");
                        model.Granted(jobs[i], claimed[i].LeaseId);
                    }
                }

                break;
            case StepKind.Complete:
                var completed = model.Complete(operation.JobId, operation.Worker, operation.LeaseId, operation.Result);
                if (operation.Answered)
                {
                    Same(completed, operation.Refusal, "burst complete");
                }

                break;
            case StepKind.Fail:
                var (failRefusal, outcome) = model.Fail(operation.JobId, operation.Worker, operation.LeaseId, operation.Error);
                if (operation.Answered)
                {
                    Same(failRefusal, operation.Refusal, "burst fail");
                    Assert.True(!operation.Succeeded || operation.ResultOf<FailOutcome>() == outcome, $"burst fail: the broker answered {(operation.Succeeded ? operation.ResultOf<FailOutcome>() : null)}, the model {outcome}");
                }

                break;
            default:
                var (beatRefusal, until) = model.Heartbeat(operation.JobId, operation.Worker, operation.LeaseId, step.Seconds);
                if (operation.Answered)
                {
                    Same(beatRefusal, operation.Refusal, "burst heartbeat");
                    Assert.True(!operation.Succeeded || operation.ResultOf<DateTimeOffset>() == until, "burst heartbeat: the new lease expiry must be the model's");
                }

                break;
        }
    }

    private async Task<ObservedState> ObserveAsync()
    {
        var org = _org;
        var jobs = await Broker.Submit(e =>
        {
            var list = e.State.Orgs[org].Jobs;
            var views = new List<JobView>(list.Live);
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } job)
                {
                    views.Add(e.GetJob(org, job.Id)!);
                }
            }

            return views;
        });
        return new ObservedState(jobs, await Broker.GetJobCountsAsync(org), await Broker.ListQueuesAsync(org));
    }

    private async Task VerifyAsync()
    {
        var observed = await ObserveAsync();
        if (_recovered)
        {
            _recovered = false;
            foreach (var job in _model.Jobs.Where(j => !j.Gone && j.Id != Guid.Empty))
            {
                var view = observed.ById(job.Id);
                Assert.True(view is not null, $"an acknowledged enqueue was lost across a crash/restart: {job} ({job.Status.ToWire()}) is missing");
                Assert.True(job.Status != JobStatus.Completed || view.Status == JobStatus.Completed, $"an acknowledged completion was lost across a crash/restart: {job} is {view.Status.ToWire()}");
            }
        }

        var differences = _model.Differences(observed);
        Assert.True(differences.Count == 0, "the broker's observable state differs from the reference model:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", differences));
        CheckOneValidLeasePerJob();
        foreach (var claim in _model.Claims.Where(c => c.Active && c.ExpiresAt > Now))
        {
            var view = observed.ById(claim.JobId);
            Assert.True(
                view is { Status: JobStatus.Processing } && view.LeaseId == claim.LeaseId && view.AssignedWorkerId == claim.Worker && view.LeaseExpiresAt >= claim.ExpiresAt,
                $"a lease the broker granted and that has not ended must still be the job's current lease: {claim}; the broker has {view?.Status} under {view?.LeaseId} for {view?.AssignedWorkerId}");
        }
    }

    /// <summary>No job is in two outstanding claims whose leases are still valid.</summary>
    private void CheckOneValidLeasePerJob()
    {
        var now = Now;
        foreach (var group in _model.Claims.Where(c => c.Active && c.ExpiresAt > now).GroupBy(c => c.JobId))
        {
            Assert.True(group.Count() == 1, $"job {group.Key} is held under {group.Count()} valid leases at once: {string.Join("; ", group)}");
        }
    }

    private static async Task<(T? Value, BrokerErrorCode? Refusal)> Attempt<T>(Task<T> operation)
    {
        try
        {
            return (await operation, null);
        }
        catch (BrokerException refused)
        {
            return (default, refused.Code);
        }
    }

    private static async Task<(bool Done, BrokerErrorCode? Refusal)> Attempt(Task operation)
    {
        try
        {
            await operation;
            return (true, null);
        }
        catch (BrokerException refused)
        {
            return (false, refused.Code);
        }
    }

    private static void Same(BrokerErrorCode? expected, BrokerErrorCode? actual, string what) =>
        Assert.True(expected == actual, $"{what}: the broker answered {Show(actual)}, the model expects {Show(expected)}");

    private static string Show(BrokerErrorCode? code) => code?.ToString() ?? "success";
}
