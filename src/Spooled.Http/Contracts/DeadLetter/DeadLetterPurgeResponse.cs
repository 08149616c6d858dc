namespace Spooled.Http.Contracts.DeadLetter;

/// <summary>How many dead-lettered jobs were deleted.</summary>
public sealed record DeadLetterPurgeResponse(int PurgedCount);
