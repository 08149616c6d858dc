namespace Spooled.LoadGen;

/// <summary>
/// Runs one workload end to end: checks the server and key, starts the optional memory sampler and
/// progress line, drives producers and workers, and turns the counters into a <see cref="RunReport"/>.
/// </summary>
internal sealed class LoadRunner(LoadGenOptions options)
{
    /// <summary>Fill requests for the drain workload: the largest bulk, since filling is not what is measured.</summary>
    private const int FillBatch = 100;

    private readonly ErrorTally _errors = new();
    private readonly RunCounters _counters = new();

    /// <summary>How long the live-event streams may keep reading after the workload, for events still in flight.</summary>
    private static readonly TimeSpan s_sseTail = TimeSpan.FromSeconds(2);

    /// <summary>Cancels producers too when the run stalls, so a stuck server cannot hang the tool.</summary>
    private CancellationTokenSource? _abort;

    public async Task<RunReport> RunAsync(CancellationToken interrupt)
    {
        var connections = options.Producers + options.Workers + 8 + (options.Workload == Workload.Steady ? options.MaxInFlight : 0);
        using var client = new SpooledClient(options.Url, options.ApiKey, connections, _errors);
        await client.ProbeAsync(interrupt);

        // Every stream is listening before the first job, so each should see every JobCreated event.
        using var sse = options.SseSubscribers > 0 ? new SseFanout(options, _errors) : null;
        if (sse is not null)
        {
            await sse.OpenAsync(interrupt);
        }

        var sampler = options.Pid is { } pid ? new RssSampler(pid) : null;
        using var background = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var samplerTask = sampler?.RunAsync(background.Token) ?? Task.CompletedTask;
        var progressTask = options.Progress || !Console.IsErrorRedirected
            ? new ProgressReporter(_counters, _errors, sampler, sse).RunAsync(background.Token)
            : Task.CompletedTask;

        var report = Describe();
        var payload = RequestBodies.Payload(options.PayloadBytes);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        _abort = abort;
        var start = Clock.Now;
        switch (options.Workload)
        {
            case Workload.Enqueue:
                await EnqueueAsync(client, payload, report, abort.Token);
                break;
            case Workload.Drain:
                await DrainAsync(client, payload, report, abort.Token);
                break;
            case Workload.Pipeline:
                await PipelineAsync(client, payload, report, abort.Token);
                break;
            case Workload.Steady:
                await SteadyAsync(client, payload, report, abort.Token);
                break;
        }

        report.ElapsedSeconds = Math.Round(Clock.Seconds(start, Clock.Now), 3);
        if (sse is not null)
        {
            await sse.FinishAsync(_counters.Enqueued, s_sseTail, interrupt);
            report.Sse = sse.Report(_counters.Enqueued);
        }

        await background.CancelAsync();
        await samplerTask;
        await progressTask;

        report.Enqueued = _counters.Enqueued;
        report.Completed = _counters.Completed;
        report.EmptyClaims = _counters.EmptyClaims;
        report.Errors = _errors.Snapshot();
        report.ErrorTotal = _errors.Total;
        report.Interrupted = interrupt.IsCancellationRequested;
        if (sampler is not null)
        {
            report.ServerPeakRssBytes = sampler.PeakRssBytes;
            report.ServerHwmBytes = sampler.HwmBytes;
        }

        return report;
    }

    private RunReport Describe() => new()
    {
        Workload = options.Workload.ToString().ToLowerInvariant(),
        Queue = options.Queue,
        Jobs = options.Workload == Workload.Steady ? (long)options.Rate * options.DurationSecs : options.Jobs,
        PayloadBytes = options.PayloadBytes,
        Producers = options.Workload == Workload.Steady ? 0 : options.Producers,
        Batch = options.Batch,
        Workers = options.Workload == Workload.Enqueue ? 0 : options.Workers,
        ClaimLimit = options.ClaimLimit,
        WaitSecs = options.WaitSecs,
        Ack = options.Ack.ToString().ToLowerInvariant(),
        Rate = options.Workload == Workload.Steady ? options.Rate : null,
        DurationSecs = options.Workload == Workload.Steady ? options.DurationSecs : null,
    };

    private async Task EnqueueAsync(SpooledClient client, byte[] payload, RunReport report, CancellationToken interrupt)
    {
        var start = Clock.Now;
        await new ProducerPool(client, _counters).RunAsync(options.Queue, payload, options.Jobs, options.Batch, options.Producers, interrupt);
        report.Phases.Add(PhaseReport.Of("enqueue", _counters.Enqueued, start, Clock.Now));
    }

    private async Task DrainAsync(SpooledClient client, byte[] payload, RunReport report, CancellationToken interrupt)
    {
        var fillStart = Clock.Now;
        await new ProducerPool(client, _counters).RunAsync(options.Queue, payload, options.Jobs, FillBatch, options.Producers, interrupt);
        report.Phases.Add(PhaseReport.Of("fill", _counters.Enqueued, fillStart, Clock.Now));
        _counters.ProducersDone();

        var drainStart = Clock.Now;
        report.Stalled = await WorkUntilDrainedAsync(client, null, Task.CompletedTask, interrupt);
        report.Phases.Add(PhaseReport.Of("drain", _counters.Completed, drainStart, LastCompletionOr(drainStart)));
    }

    private async Task PipelineAsync(SpooledClient client, byte[] payload, RunReport report, CancellationToken interrupt)
    {
        var start = Clock.Now;
        var enqueueEnd = start;
        async Task ProduceAsync()
        {
            await new ProducerPool(client, _counters).RunAsync(options.Queue, payload, options.Jobs, options.Batch, options.Producers, interrupt);
            enqueueEnd = Clock.Now;
            _counters.ProducersDone();
        }

        report.Stalled = await WorkUntilDrainedAsync(client, null, Task.Run(ProduceAsync, CancellationToken.None), interrupt);
        AddFlowPhases(report, start, enqueueEnd);
    }

    private async Task SteadyAsync(SpooledClient client, byte[] payload, RunReport report, CancellationToken interrupt)
    {
        var enqueueLatency = new LatencyRecorder();
        var claimLatency = new LatencyRecorder();
        var sendLag = new LatencyRecorder();
        var start = Clock.Now;
        var enqueueEnd = start;
        async Task ArriveAsync()
        {
            await new SteadyArrivals(client, _counters, enqueueLatency, sendLag, options).RunAsync(payload, interrupt);
            enqueueEnd = Clock.Now;
            _counters.ProducersDone();
        }

        report.Stalled = await WorkUntilDrainedAsync(client, claimLatency, Task.Run(ArriveAsync, CancellationToken.None), interrupt);
        AddFlowPhases(report, start, enqueueEnd);
        report.EnqueueLatency = enqueueLatency.Report();
        report.EnqueueToClaimLatency = claimLatency.Report();
        report.SendLag = sendLag.Report();
    }

    private void AddFlowPhases(RunReport report, long start, long enqueueEnd)
    {
        var firstClaim = _counters.FirstClaim is > 0 and var claimed ? claimed : start;
        report.Phases.Add(PhaseReport.Of("enqueue", _counters.Enqueued, start, enqueueEnd));
        report.Phases.Add(PhaseReport.Of("drain", _counters.Completed, firstClaim, LastCompletionOr(firstClaim)));
        report.Phases.Add(PhaseReport.Of("end_to_end", _counters.Completed, start, LastCompletionOr(start)));
    }

    private long LastCompletionOr(long fallback) => _counters.LastCompletion is > 0 and var last ? last : fallback;

    /// <summary>
    /// Runs the workers until every accepted job is acknowledged; true when the run stalled (nothing
    /// enqueued or acknowledged for <c>--stall-secs</c>), which ends it rather than hanging forever
    /// on jobs the server lost or never hands out.
    /// </summary>
    private async Task<bool> WorkUntilDrainedAsync(SpooledClient client, LatencyRecorder? claimLatency, Task producing, CancellationToken interrupt)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var working = new WorkerPool(client, _counters, options, claimLatency).RunAsync(stop.Token);
        var stalled = false;
        var lastProgress = -1L;
        var lastChange = Clock.Now;
        while (!_counters.Drained.IsCompleted && !interrupt.IsCancellationRequested)
        {
            await Task.WhenAny(_counters.Drained, Task.Delay(250, CancellationToken.None));
            var progress = _counters.Enqueued + _counters.Completed + _counters.AckFailed;
            if (progress != lastProgress)
            {
                (lastProgress, lastChange) = (progress, Clock.Now);
            }
            else if (Clock.Seconds(lastChange, Clock.Now) >= options.StallSecs)
            {
                stalled = true;
                break;
            }
        }

        if (stalled)
        {
            await _abort!.CancelAsync();
        }

        await stop.CancelAsync();
        try
        {
            await working;
        }
        catch (OperationCanceledException)
        {
            // A worker cancelled before it started.
        }

        await producing;
        return stalled;
    }
}
