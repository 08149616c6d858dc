namespace Spooled.Broker;

/// <summary>A worker announcing itself; registering an existing id of the same organization updates it.</summary>
public sealed class WorkerRegistration
{
    /// <summary>Client-chosen id, or null for a server-generated one.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The queue it works.</summary>
    public required string QueueName { get; init; }

    /// <summary>Host name.</summary>
    public required string Hostname { get; init; }

    /// <summary>SDK or kind.</summary>
    public string? WorkerType { get; init; }

    /// <summary>1..100; default 5.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>UTF-8 JSON.</summary>
    public byte[]? Metadata { get; init; }

    /// <summary>Worker version.</summary>
    public string? Version { get; init; }
}
