using System.Buffers;
using System.Text.Json;

namespace Spooled.LoadGen;

/// <summary>
/// Workers that claim and complete with no work in between, so the drain rate is the server's. Each
/// worker owns its request buffers and reuses them for every acknowledgement. Workers run until
/// <see cref="RunCounters.Drained"/> and are then cancelled, which also ends pending long polls.
/// </summary>
internal sealed class WorkerPool(SpooledClient client, RunCounters counters, LoadGenOptions options, LatencyRecorder? claimLatency)
{
    public Task RunAsync(CancellationToken cancel)
    {
        var tasks = new Task[options.Workers];
        for (var i = 0; i < tasks.Length; i++)
        {
            var workerId = "loadgen-worker-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            tasks[i] = Task.Run(() => WorkAsync(workerId, cancel), cancel);
        }

        return Task.WhenAll(tasks);
    }

    private async Task WorkAsync(string workerId, CancellationToken cancel)
    {
        var claimBody = RequestBodies.Claim(options.Queue, workerId, options.ClaimLimit, options.LeaseSecs, options.WaitSecs);
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var jobs = await client.ClaimAsync(claimBody, cancel);
                if (jobs is null)
                {
                    // The error is counted; pause briefly so a failing server is not hammered in a tight loop.
                    await Task.Delay(10, cancel);
                    continue;
                }

                if (jobs.Count == 0)
                {
                    counters.EmptyClaim();
                    if (options.WaitSecs == 0)
                    {
                        await Task.Yield();
                    }

                    continue;
                }

                counters.Claimed();
                if (claimLatency is not null)
                {
                    RecordClaimLatency(jobs);
                }

                if (options.Ack == AckMode.Batch)
                {
                    await CompleteBatchAsync(workerId, jobs, buffer, writer, cancel);
                }
                else
                {
                    foreach (var job in jobs)
                    {
                        Reset(buffer, writer);
                        writer.WriteStartObject();
                        writer.WriteString("worker_id", workerId);
                        writer.WriteString("lease_id", job.LeaseId);
                        writer.WriteEndObject();
                        writer.Flush();
                        var ok = await client.CompleteAsync(job.Id, buffer.WrittenMemory, cancel);
                        counters.Acknowledged(ok ? 1 : 0, ok ? 0 : 1);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The run is over (drained, stalled or interrupted).
        }
    }

    private async Task CompleteBatchAsync(string workerId, List<ClaimedJob> jobs, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, CancellationToken cancel)
    {
        Reset(buffer, writer);
        writer.WriteStartObject();
        writer.WriteString("worker_id", workerId);
        writer.WriteStartArray("jobs");
        foreach (var job in jobs)
        {
            writer.WriteStartObject();
            writer.WriteString("id", job.Id);
            writer.WriteString("lease_id", job.LeaseId);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        var completed = await client.CompleteBatchAsync(buffer.WrittenMemory, cancel);
        counters.Acknowledged(completed, jobs.Count - completed);
    }

    private void RecordClaimLatency(List<ClaimedJob> jobs)
    {
        var now = Clock.Now;
        foreach (var job in jobs)
        {
            if (RequestBodies.TryReadStamp(job.Payload?.T, out var intended))
            {
                claimLatency!.Record(Clock.Micros(intended, now));
            }
        }
    }

    private static void Reset(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
    }
}
