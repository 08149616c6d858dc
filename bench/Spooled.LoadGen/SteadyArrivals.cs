using System.Buffers;

namespace Spooled.LoadGen;

/// <summary>
/// Open-loop arrivals: job i is due at start + i / rate whatever happened to earlier jobs, and its
/// latency is counted from that intended time, not from when it was actually sent. A server that
/// stalls therefore shows the stall in every job that should have been sent meanwhile, instead of
/// quietly lowering the offered rate (coordinated omission). The same intended time is written
/// into the payload, so workers measure enqueue-to-claim from it too.
/// </summary>
internal sealed class SteadyArrivals(SpooledClient client, RunCounters counters, LatencyRecorder enqueueLatency, LatencyRecorder sendLag, LoadGenOptions options)
{
    /// <summary>Sends <c>rate × duration</c> jobs; returns once every request has been answered.</summary>
    public async Task RunAsync(byte[] payload, CancellationToken cancel)
    {
        var template = RequestBodies.Single(options.Queue, payload, out var stampOffset);
        // The in-flight cap bounds memory when the server falls behind; waiting for a slot delays the
        // send but not the intended time, so the wait is still charged to latency.
        using var slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        await Task.Factory.StartNew(() => Arrive(template, stampOffset, slots, cancel), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        for (var i = 0; i < options.MaxInFlight; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The arrival loop, on a thread of its own that sleeps a millisecond between passes. An
    /// asynchronous one-millisecond delay wakes about every two on Linux (its timer rounds up), which
    /// showed as two milliseconds of send lag at the median.
    /// </summary>
    private void Arrive(byte[] template, int stampOffset, SemaphoreSlim slots, CancellationToken cancel)
    {
        var total = (long)options.Rate * options.DurationSecs;
        var ticksPerJob = Clock.TicksPerSecond / (double)options.Rate;
        var start = Clock.Now;
        long next = 0;
        try
        {
            while (next < total)
            {
                var now = Clock.Now;
                var due = Math.Min(total, (long)((now - start) / ticksPerJob) + 1);
                for (; next < due; next++)
                {
                    slots.Wait(cancel);
                    var intended = start + (long)(next * ticksPerJob);
                    _ = SendAsync(template, stampOffset, intended, slots, cancel);
                }

                // The jobs due meanwhile go out together on the next pass, each still stamped with
                // its own intended time.
                Thread.Sleep(1);
                cancel.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted: the caller waits for what was sent.
        }
    }

    private async Task SendAsync(byte[] template, int stampOffset, long intended, SemaphoreSlim slots, CancellationToken cancel)
    {
        var body = ArrayPool<byte>.Shared.Rent(template.Length);
        try
        {
            template.CopyTo(body, 0);
            RequestBodies.Stamp(body, stampOffset, intended);
            sendLag.Record(Clock.Micros(intended, Clock.Now));
            if (await client.EnqueueAsync(body.AsMemory(0, template.Length), cancel))
            {
                enqueueLatency.Record(Clock.Micros(intended, Clock.Now));
                counters.AddEnqueued(1);
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted mid-request: the job may or may not be in the queue; it is not counted.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
            slots.Release();
        }
    }
}
