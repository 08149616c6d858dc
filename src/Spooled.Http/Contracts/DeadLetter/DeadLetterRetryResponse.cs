namespace Spooled.Http.Contracts.DeadLetter;

/// <summary>The jobs put back to pending.</summary>
public sealed record DeadLetterRetryResponse(int RetriedCount, IReadOnlyList<Guid> RetriedJobs);
