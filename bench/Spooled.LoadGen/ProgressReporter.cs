using System.Globalization;

namespace Spooled.LoadGen;

/// <summary>
/// One self-overwriting status line on stderr per second, so a long run visibly moves while stdout
/// stays clean for the table or the JSON object.
/// </summary>
internal sealed class ProgressReporter(RunCounters counters, ErrorTally errors, RssSampler? rss, SseFanout? sse)
{
    public async Task RunAsync(CancellationToken cancel)
    {
        var start = Clock.Now;
        long lastEnqueued = 0, lastCompleted = 0;
        var lastTime = start;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancel))
            {
                var now = Clock.Now;
                var seconds = Clock.Seconds(lastTime, now);
                var enqueued = counters.Enqueued;
                var completed = counters.Completed;
                var line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{Clock.Seconds(start, now),5:0}s] enqueued {enqueued,9} ({(enqueued - lastEnqueued) / seconds,8:0}/s)  completed {completed,9} ({(completed - lastCompleted) / seconds,8:0}/s)  errors {errors.Total}");
                if (sse is not null)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $"  sse events {sse.EventsReceived}");
                }

                if (rss is not null)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $"  rss {rss.PeakRssBytes / (1024.0 * 1024.0):0} MiB");
                }

                await Console.Error.WriteAsync("\r" + line.PadRight(110));
                (lastEnqueued, lastCompleted, lastTime) = (enqueued, completed, now);
            }
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync();
        }
    }
}
