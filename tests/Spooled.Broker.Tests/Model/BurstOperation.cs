namespace Spooled.Broker.Tests.Model;

/// <summary>One operation of a burst: what was submitted, and the task whose answer may be lost in the crash.</summary>
internal sealed class BurstOperation
{
    public required Step Step { get; init; }

    public required Task Task { get; init; }

    public int N { get; init; }

    public JobSpec? Spec { get; init; }

    public ClaimRequest? Claim { get; init; }

    public Guid JobId { get; init; }

    public Guid? LeaseId { get; init; }

    public string Worker { get; init; } = "";

    public byte[]? Result { get; init; }

    public string Error { get; init; } = "";

    public bool Succeeded => Task.IsCompletedSuccessfully;

    /// <summary>A refusal the broker gave (it ran the operation and answered); null if it succeeded or its answer was lost.</summary>
    public BrokerErrorCode? Refusal =>
        Task.Exception?.InnerException is BrokerException { Code: not BrokerErrorCode.Unavailable } refused ? refused.Code : null;

    /// <summary>The broker answered: everything submitted before it is durable.</summary>
    public bool Answered => Succeeded || Refusal is not null;

    public T ResultOf<T>() => ((Task<T>)Task).Result;

    public override string ToString() =>
        Step + " → " + (Succeeded ? "acknowledged" : Refusal is { } code ? "refused " + code : "lost (" + Task.Exception?.InnerException?.GetType().Name + ")");
}
