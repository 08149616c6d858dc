namespace Spooled.Http.Contracts.Queues;

/// <summary><c>POST /queues/{name}/pause</c>; the body may be absent.</summary>
public sealed class PauseQueueRequest
{
    /// <summary>Why, at most 500 characters.</summary>
    public string? Reason { get; init; }
}
