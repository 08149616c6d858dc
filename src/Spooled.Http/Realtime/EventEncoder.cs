using System.Buffers;
using System.Text.Json;
using Spooled.Broker;
using Spooled.Broker.Events;

namespace Spooled.Http.Realtime;

/// <summary>
/// Writes events in the wire envelope shared by SSE and WebSocket:
/// <c>{"type": "&lt;PascalCase&gt;", "queue_name"?, "job_id"?, "data": {…, "timestamp"}}</c>, with
/// <c>queue_name</c>/<c>job_id</c> repeated at the top level for clients that filter there (PHP).
/// Written by hand with <see cref="Utf8JsonWriter"/> rather than through contract classes: one
/// broker event becomes one array shared by every subscriber (<see cref="BrokerEvent.Encoded{T}"/>),
/// and the shapes differ per type.
/// </summary>
internal static class EventEncoder
{
    /// <summary>The envelope of a broker event (cached on the event: encoded once for all subscribers).</summary>
    public static byte[] Encode(BrokerEvent e) => Encoded(e).Json;

    /// <summary>The event's whole SSE frame, <c>id:</c> line included (cached like <see cref="Encode"/>).</summary>
    public static byte[] SseFrame(BrokerEvent e) => Encoded(e).SseFrame;

    // Every stream asks for every event it sends: the made form is tested against its sealed type
    // first, which is cheaper than the generic method's test of a shared type parameter.
    private static EncodedEvent Encoded(BrokerEvent e) => e.Encoding as EncodedEvent ?? e.Encoded(static e =>
    {
        var json = Write(e.Kind.ToString(), e.QueueName, e.JobId, e, static (w, e) => WriteData(w, e));
        return new EncodedEvent(json, SseWriter.Frame(json, e.Sequence));
    });

    public static byte[] QueueStats(QueueStats stats, DateTimeOffset now) => Write("QueueStats", stats.QueueName, null, (stats, now), static (w, s) =>
    {
        w.WriteString("queue_name", s.stats.QueueName);
        w.WriteNumber("pending", s.stats.PendingJobs + s.stats.ScheduledJobs);
        w.WriteNumber("processing", s.stats.ProcessingJobs);
        w.WriteNumber("completed", s.stats.CompletedJobs24h);
        w.WriteNumber("failed", s.stats.FailedJobs24h);
        w.WriteBoolean("paused", s.stats.Paused);
        w.WriteString("timestamp", s.now.UtcDateTime);
    });

    public static byte[] SystemHealth(bool healthy, DateTimeOffset now) => Write("SystemHealth", null, null, (healthy, now), static (w, s) =>
    {
        w.WriteString("status", s.healthy ? "healthy" : "unhealthy");
        w.WriteBoolean("database", s.healthy);
        w.WriteBoolean("storage", s.healthy);
        w.WriteString("timestamp", s.now.UtcDateTime);
    });

    public static byte[] Ping(DateTimeOffset now) => Write("Ping", null, null, now, static (w, now) => w.WriteString("timestamp", now.UtcDateTime));

    public static byte[] Error(string message, DateTimeOffset now) => Write("Error", null, null, (message, now), static (w, s) =>
    {
        w.WriteString("message", s.message);
        w.WriteString("timestamp", s.now.UtcDateTime);
    });

    /// <summary>A job's status as the first event of its stream: <c>old_status</c> is "".</summary>
    public static byte[] CurrentStatus(JobView job, DateTimeOffset now) => Write("JobStatusChange", job.QueueName, job.Id, (job, now), static (w, s) =>
    {
        w.WriteString("job_id", s.job.Id);
        w.WriteString("queue_name", s.job.QueueName);
        w.WriteString("old_status", "");
        w.WriteString("new_status", s.job.Status.ToWire());
        w.WriteString("timestamp", s.now.UtcDateTime);
    });

    private static void WriteData(Utf8JsonWriter w, BrokerEvent e)
    {
        if (e.JobId is { } jobId)
        {
            w.WriteString("job_id", jobId);
        }

        if (e.WorkerId is { } workerId)
        {
            w.WriteString("worker_id", workerId);
        }

        if (e.QueueName is { } queue)
        {
            w.WriteString("queue_name", queue);
        }

        switch (e.Kind)
        {
            case BrokerEventKind.JobStatusChange:
                w.WriteString("old_status", e.OldStatus?.ToWire() ?? "");
                w.WriteString("new_status", e.NewStatus?.ToWire());
                break;
            case BrokerEventKind.JobCreated:
                w.WriteNumber("priority", e.Priority);
                break;
            case BrokerEventKind.JobCompleted:
                w.WriteNumber("duration_ms", e.DurationMs);
                break;
            case BrokerEventKind.JobFailed:
                w.WriteString("error", e.Error);
                w.WriteNumber("retry_count", e.RetryCount);
                w.WriteBoolean("will_retry", e.WillRetry);
                break;
            case BrokerEventKind.WorkerHeartbeat:
                w.WriteString("status", e.Detail);
                w.WriteNumber("current_jobs", e.CurrentJobs);
                w.WriteNull("current_job_id");
                break;
            case BrokerEventKind.QueuePaused:
                w.WriteString("reason", e.Detail);
                break;
            default:
                break;
        }

        w.WriteString("timestamp", e.Timestamp.UtcDateTime);
    }

    private static byte[] Write<TState>(string type, string? queue, Guid? jobId, TState state, Action<Utf8JsonWriter, TState> data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            if (queue is not null)
            {
                w.WriteString("queue_name", queue);
            }

            if (jobId is { } id)
            {
                w.WriteString("job_id", id);
            }

            w.WritePropertyName("data");
            w.WriteStartObject();
            data(w, state);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
