using Spooled.Broker;

namespace Spooled.Http.Contracts.Queues;

/// <summary>An item of <c>GET /queues</c>.</summary>
public sealed record QueueSummaryResponse(string QueueName, int MaxRetries, int DefaultTimeout, int? RateLimit, bool Enabled, bool Paused)
{
    /// <summary>Maps a broker view.</summary>
    public static QueueSummaryResponse From(QueueView queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return new(queue.QueueName, queue.MaxRetries, queue.DefaultTimeout, queue.RateLimit, queue.Enabled, !queue.Enabled);
    }
}
