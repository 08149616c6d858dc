using System.Globalization;
using System.Text;

namespace Spooled.LoadGen;

/// <summary>The human-readable end of a run: settings, a table of phases and latencies, errors and memory.</summary>
internal static class ReportPrinter
{
    public static string Format(RunReport report)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"Spooled load: workload {report.Workload}, queue {report.Queue}, {report.Jobs} jobs of {report.PayloadBytes} B payload");
        if (report.Rate is { } rate)
        {
            Line($"  arrivals {rate}/s for {report.DurationSecs} s (open loop), workers {report.Workers}, claim limit {report.ClaimLimit}, wait {report.WaitSecs} s, ack {report.Ack}");
        }
        else
        {
            Line($"  producers {report.Producers}, batch {report.Batch}, workers {report.Workers}, claim limit {report.ClaimLimit}, wait {report.WaitSecs} s, ack {report.Ack}");
        }

        text.AppendLine();
        Line($"{"phase",-18}{"jobs",12}{"seconds",12}{"jobs/s",14}");
        foreach (var phase in report.Phases)
        {
            Line($"{phase.Name,-18}{phase.Jobs,12}{phase.Seconds,12:0.000}{phase.JobsPerSecond,14:0.0}");
        }

        if (report.EnqueueLatency is not null || report.EnqueueToClaimLatency is not null || report.Sse?.Latency is not null)
        {
            text.AppendLine();
            Line($"{"latency (ms)",-18}{"count",10}{"p50",10}{"p99",10}{"p99.9",10}{"max",10}{"mean",10}");
            Latency(text, "enqueue", report.EnqueueLatency);
            Latency(text, "enqueue_to_claim", report.EnqueueToClaimLatency);
            Latency(text, "send_lag", report.SendLag);
            Latency(text, "sse_event", report.Sse?.Latency);
        }

        if (report.Sse is { } sse)
        {
            text.AppendLine();
            Line($"sse: {sse.SubscribersConnected}/{sse.SubscribersRequested} subscribers connected in {sse.ConnectSeconds:0.000} s (events {sse.Events})");
            Line($"  JobCreated received {sse.EventsReceived} (per subscriber min {sse.EventsMinPerSubscriber}, max {sse.EventsMaxPerSubscriber}, expected {sse.ExpectedPerSubscriber}; {sse.SubscribersComplete} complete), other frames {sse.OtherEvents}, unreadable {sse.UnreadableEvents}");
            Line($"  cut off {sse.SubscribersCutOff}, disconnected early {sse.SubscribersDisconnectedEarly}, within 50 ms {sse.ShareWithin50Ms * 100:0.00}%, tail {sse.TailSeconds:0.000} s after the workload");
        }

        text.AppendLine();
        Line($"enqueued {report.Enqueued}, completed {report.Completed}, empty claims {report.EmptyClaims}, elapsed {report.ElapsedSeconds:0.000} s");
        text.Append("errors: ");
        text.AppendLine(report.ErrorTotal == 0
            ? "none"
            : string.Join(", ", report.Errors.Select(e => e.Key + " " + e.Value.ToString(CultureInfo.InvariantCulture))));
        if (report.ServerPeakRssBytes is { } peak)
        {
            Line($"server memory: peak VmRSS {peak / 1048576.0:0.0} MiB (sampled during the run), VmHWM {report.ServerHwmBytes / 1048576.0:0.0} MiB");
        }

        if (report.Stalled)
        {
            text.AppendLine("STALLED: no progress for the stall timeout; the run was cut short.");
        }

        if (report.Interrupted)
        {
            text.AppendLine("INTERRUPTED: the figures cover the run up to the interrupt.");
        }

        return text.ToString();
    }

    private static void Latency(StringBuilder text, string name, LatencyReport? latency)
    {
        if (latency is null)
        {
            return;
        }

        text.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-18}{latency.Count,10}{latency.P50Ms,10:0.000}{latency.P99Ms,10:0.000}{latency.P999Ms,10:0.000}{latency.MaxMs,10:0.000}{latency.MeanMs,10:0.000}"));
    }
}
