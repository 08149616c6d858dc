using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Workers;

/// <summary><c>POST /workers/register</c>; registering an id the organization already has updates that worker.</summary>
public sealed class RegisterWorkerRequest
{
    /// <summary>The queue it works.</summary>
    public required string QueueName { get; init; }

    /// <summary>1..255 characters.</summary>
    public required string Hostname { get; init; }

    /// <summary>SDK or kind, at most 50 characters.</summary>
    public string? WorkerType { get; init; }

    /// <summary>1..100; default 5.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Any JSON, at most 64 KiB.</summary>
    public RawJson? Metadata { get; init; }

    /// <summary>At most 50 characters.</summary>
    public string? Version { get; init; }

    /// <summary>Client-chosen id (Python and PHP send it when configured); null for a server-generated one.</summary>
    public string? WorkerId { get; init; }
}
