namespace Spooled.LoadGen;

/// <summary>
/// Closed-loop producers: each sends its next request as soon as the previous one is answered, so
/// the enqueue rate is what the server sustains at this concurrency. Producers take work from one
/// shared counter, so a slow producer never leaves the others idle at the end.
/// </summary>
internal sealed class ProducerPool(SpooledClient client, RunCounters counters)
{
    private long _nextJob;

    /// <summary>Enqueues <paramref name="jobs"/> jobs of <paramref name="payload"/>, <paramref name="batch"/> per request.</summary>
    public async Task RunAsync(string queue, byte[] payload, int jobs, int batch, int producers, CancellationToken cancel)
    {
        _nextJob = 0;
        var single = RequestBodies.Single(queue, payload, out _);
        var full = batch > 1 ? RequestBodies.Bulk(queue, payload, batch) : single;
        var rest = jobs % batch;
        var last = batch > 1 && rest > 0 ? RequestBodies.Bulk(queue, payload, rest) : full;

        var tasks = new Task[producers];
        for (var i = 0; i < producers; i++)
        {
            tasks[i] = Task.Run(() => ProduceAsync(jobs, batch, full, last, cancel), cancel);
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // Interrupted: the report says so; what was accepted so far is still counted.
        }
    }

    private async Task ProduceAsync(int jobs, int batch, byte[] full, byte[] last, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var first = Interlocked.Add(ref _nextJob, batch) - batch;
            if (first >= jobs)
            {
                return;
            }

            var count = (int)Math.Min(batch, jobs - first);
            if (batch == 1)
            {
                if (await client.EnqueueAsync(full, cancel))
                {
                    counters.AddEnqueued(1);
                }
            }
            else
            {
                counters.AddEnqueued(await client.EnqueueBulkAsync(count == batch ? full : last, cancel));
            }
        }
    }
}
