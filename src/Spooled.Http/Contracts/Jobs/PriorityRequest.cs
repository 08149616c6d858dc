namespace Spooled.Http.Contracts.Jobs;

/// <summary><c>PUT /jobs/{id}/priority</c>.</summary>
public sealed class PriorityRequest
{
    /// <summary>−100..100.</summary>
    public required int Priority { get; init; }
}
