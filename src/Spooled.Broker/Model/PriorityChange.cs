namespace Spooled.Broker;

/// <summary>The result of a priority change.</summary>
public sealed record PriorityChange(Guid JobId, int OldPriority, int NewPriority);
