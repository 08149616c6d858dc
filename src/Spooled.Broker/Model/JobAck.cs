namespace Spooled.Broker;

/// <summary>
/// One completion or failure reported by a worker. With a <see cref="LeaseId"/> the lease must be the
/// job's current one; without, the job must be processing and assigned to the reporting worker.
/// </summary>
public sealed class JobAck
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The lease the worker holds, when it knows it.</summary>
    public Guid? LeaseId { get; init; }

    /// <summary>For a completion: the result as UTF-8 JSON, or null.</summary>
    public byte[]? Result { get; init; }

    /// <summary>For a failure: the error message, 1..2048 characters.</summary>
    public string? Error { get; init; }
}
